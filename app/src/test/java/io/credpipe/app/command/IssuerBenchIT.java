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
 * {@code credpipe bench issuer}, small: it runs on a broker of its own, checks that
 * {@code credentials} holds one record per achievement, and writes its section of the results
 * file next to the sections of other JDKs. Its numbers are not asserted: a test is no benchmark.
 */
class IssuerBenchIT {

    @TempDir
    Path temp;

    @Test
    void writesBothRatesTheRatioAndWhereTheCpuWent() throws Exception {
        Path output = temp.resolve("issuer.md");
        Files.writeString(output, "# Issuer benchmark\n\n## JDK 1\n\nfrom another JDK\n");
        CommandLine cli = Credpipe.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("bench", "issuer", "--warm-up", "500", "--credentials", "3000", "--output", output.toString());

        assertThat(exit).isZero();
        String written = Files.readString(output);
        assertThat(written).contains("## JDK 1\n\nfrom another JDK", "## JDK " + Runtime.version().feature() + "\n",
                "3,000 credentials measured after 500 issued to warm up and before 750 more", "| **ratio** (topology / raw Nimbus) |",
                "| ratio (topology / the issuer's signer alone) |", "| whole process |");
        assertThat(out.toString()).contains("credentials/s", "written to " + output);
    }
}
