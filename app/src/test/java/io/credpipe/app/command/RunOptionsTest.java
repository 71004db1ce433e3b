package io.credpipe.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.credpipe.app.Credpipe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Options of the service commands ({@code run}, {@code ingest}, {@code evaluator}, {@code issuer}):
 * {@code --instance-id}, the stable name that makes a split deployment's instance a static group
 * member, and {@code --trusted-proxy}, the reverse proxies whose {@code X-Forwarded-For} names the client.
 */
class RunOptionsTest {

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
    void everyServiceCommandTakesAnInstanceId() {
        for (String command : new String[] {"run", "ingest", "evaluator", "issuer"}) {
            RunCommand run = (RunCommand) cli().parseArgs(command, "--instance-id", command + "-0")
                    .subcommand().commandSpec().userObject();
            assertThat(run.instanceId).as(command).isEqualTo(command + "-0");
        }
    }

    @Test
    void anInstanceIdNeedsAClusterAndAName() {
        assertThat(cli().execute("run", "--data-dir", temp.toString(), "--instance-id", "a")).isEqualTo(2);
        assertThat(err.toString()).contains("--instance-id needs --bootstrap-servers");

        assertThat(cli().execute("evaluator", "--bootstrap-servers", "127.0.0.1:1", "--data-dir", temp.toString(),
                "--instance-id", "a b")).isEqualTo(2);
        assertThat(err.toString()).contains("--instance-id is 1 to 100 letters");
    }

    @Test
    void everyServiceCommandTakesTrustedProxiesRepeated() {
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
