package io.credpipe.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.Credpipe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code credpipe bench end-to-end} at smoke size: events over HTTP through the whole pipeline to
 * credentials read back over HTTP, on a broker of its own. It checks the report is complete — both
 * latency phases sampled, every stage on the timeline, CPU by thread group, the bound, the raw
 * baselines, both plots — and that the section sits beside another JDK's. Numbers are not asserted.
 */
class EndToEndBenchIT {

    @TempDir
    Path temp;

    @Test
    void writesACompleteReportWithItsPlots() throws Exception {
        Path output = temp.resolve("end-to-end.md");
        Files.writeString(output, "# End-to-end benchmark\n\nintro\n\n## JDK 1, 1 broker\n\nfrom another JDK\n");
        CommandLine cli = Credpipe.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("bench", "end-to-end", "--events", "20000", "--steady-rate", "500", "--steady-seconds", "4",
                "--output", output.toString());

        // What it said goes into the failure's one line, which is all a CI summary shows.
        assertThat(exit).as("a complete report exits 0; it said: %s", err.toString().lines().limit(4).toList()).isZero();
        assertThat(err.toString()).isEmpty();
        String written = Files.readString(output);
        String section = "JDK " + Runtime.version().feature() + ", 1 broker";
        assertThat(written).contains("## JDK 1, 1 broker\n\nfrom another JDK", "## " + section + "\n",
                "20,000 events for 2,000 operators", "| full load (every 10-th credential) |", "| steady 500 events/s (every credential) |",
                "peak resident set", "| evaluator (stream, producer, consumer threads) |", "| issuer (stream, global, producer threads) |",
                "**Bound from the stages' CPU costs:**", "| idempotent producer", "| Nimbus ES256 signing", "| Kafka Streams EOS aggregate");
        String slug = section.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        assertThat(temp.resolve("end-to-end-" + slug + "-latency.png")).isNotEmptyFile();
        assertThat(temp.resolve("end-to-end-" + slug + "-throughput.png")).isNotEmptyFile();
        assertThat(out.toString()).contains("written to " + output);
    }
}
