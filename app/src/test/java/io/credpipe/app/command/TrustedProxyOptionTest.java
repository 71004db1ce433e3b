package io.credpipe.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.Credpipe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --trusted-proxy}: the reverse proxies whose {@code X-Forwarded-For} names the client. */
class TrustedProxyOptionTest {

    @TempDir
    Path temp;

    private final StringWriter err = new StringWriter();

    private CommandLine cli() {
        CommandLine cli = Credpipe.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    @Test
    void everyServiceCommandTakesItRepeated() {
        for (String command : new String[] {"run", "ingest", "evaluator", "issuer"}) {
            RunCommand run = (RunCommand) cli().parseArgs(command, "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "::1")
                    .subcommand().commandSpec().userObject();
            assertThat(run.http.trustedProxies).as(command).containsExactly("10.0.0.0/8", "::1");
        }
    }

    @Test
    void aHostNameIsAUsageErrorNotALookup() {
        assertThat(cli().execute("run", "--data-dir", temp.toString(), "--trusted-proxy", "proxy.example")).isEqualTo(2);
        assertThat(err.toString()).contains("--trusted-proxy: a trusted proxy is an IP address or a CIDR block")
                .contains("proxy.example");
        assertThat(temp.resolve("kafka")).as("refused before anything started").doesNotExist();
    }
}
