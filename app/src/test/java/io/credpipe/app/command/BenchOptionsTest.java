package io.credpipe.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.Credpipe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every benchmark takes its results file the same way, so one habit works for all of them. */
class BenchOptionsTest {

    @Test
    void everyBenchmarkNamesItsResultsFileWithOutput() {
        CommandLine bench = Credpipe.commandLine().getSubcommands().get("bench");

        assertThat(bench.getSubcommands()).isNotEmpty();
        bench.getSubcommands().forEach((name, command) -> {
            if (!"help".equals(name)) {
                assertThat(command.getCommandSpec().findOption("--output")).as("bench " + name + " --output").isNotNull();
            }
        });
    }

    @Test
    void ingestStillTakesItsFirstSpelling() {
        CommandLine cli = Credpipe.commandLine();

        cli.parseArgs("bench", "ingest", "--out", "elsewhere.md");
        CommandLine ingest = cli.getSubcommands().get("bench").getSubcommands().get("ingest");
        assertThat((Path) ingest.getCommandSpec().findOption("--output").getValue()).isEqualTo(Path.of("elsewhere.md"));
    }
}
