package io.credpipe.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.Credpipe;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every line of help a person reads is a whole sentence. picocli lists a subcommand by the first
 * element of its description, so an element that ends mid-sentence shows as a cut-off line in
 * {@code credpipe --help}.
 */
class HelpTextTest {

    @Test
    void everyDescriptionElementIsACompleteSentence() {
        List<String> unfinished = new ArrayList<>();
        collect(Credpipe.commandLine().getCommandSpec(), unfinished);

        assertThat(unfinished).isEmpty();
    }

    @Test
    void theCommandListShowsEachCommandsFirstSentenceWhole() {
        CommandLine cli = Credpipe.commandLine();
        String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");

        cli.getSubcommands().forEach((name, sub) -> {
            if ("help".equals(name)) {
                return; // picocli's own command
            }
            String first = sub.getCommandSpec().usageMessage().description()[0];
            assertThat(help).as(name).contains(first.replaceAll("\\s+", " "));
        });
    }

    private static void collect(CommandSpec spec, List<String> unfinished) {
        check(spec.qualifiedName(), spec.usageMessage().description(), unfinished);
        for (ArgSpec arg : spec.args()) {
            check(spec.qualifiedName() + " " + arg, arg.description(), unfinished);
        }
        spec.subcommands().values().forEach(sub -> {
            if (!"help".equals(sub.getCommandName())) {
                collect(sub.getCommandSpec(), unfinished);
            }
        });
    }

    private static void check(String where, String[] description, List<String> unfinished) {
        for (String line : description) {
            String text = line.strip();
            if (!text.isEmpty() && !(text.endsWith(".") || text.endsWith(".)"))) {
                unfinished.add(where + ": " + text);
            }
        }
    }
}
