package io.credpipe.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import io.credpipe.app.Credpipe;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.JwtType;
import io.credpipe.issuer.signing.SigningAlgorithm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** {@code --signing-algorithm} and {@code --jwt-typ} on the commands that run the issuer or manage its keys. */
class SigningOptionsTest {

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine cli() {
        CommandLine cli = Credpipe.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }

    private static SigningOptions signing(ParseResult parsed) {
        return ((RunCommand) parsed.subcommand().commandSpec().userObject()).signing;
    }

    @Test
    void runAndIssuerDefaultToEs256WithTypJwt() {
        for (String command : new String[] {"run", "issuer"}) {
            SigningOptions signing = signing(cli().parseArgs(command));

            assertThat(signing.algorithm).as(command).isEqualTo(SigningAlgorithm.ES256);
            assertThat(signing.typ).as(command).isEqualTo(JwtType.JWT);
        }
    }

    @Test
    void runAndIssuerTakeRs256AndVcJwt() {
        for (String command : new String[] {"run", "issuer"}) {
            SigningOptions signing = signing(cli().parseArgs(command, "--signing-algorithm", "RS256", "--jwt-typ", "vc+jwt"));

            assertThat(signing.algorithm).as(command).isEqualTo(SigningAlgorithm.RS256);
            assertThat(signing.typ).as(command).isEqualTo(JwtType.VC_JWT);
        }
    }

    @Test
    void otherAlgorithmsAndTypsAreRefusedWithTheChoices() {
        assertThat(cli().execute("run", "--signing-algorithm", "HS256")).isEqualTo(2);
        assertThat(err.toString()).contains("HS256").contains("ES256, RS256");

        assertThat(cli().execute("run", "--jwt-typ", "at+jwt")).isEqualTo(2);
        assertThat(err.toString()).contains("typ must be one of JWT, vc+jwt");
    }

    @Test
    void servicesOtherThanTheIssuerRefuseSigningOptions() {
        int exit = cli().execute("ingest", "--bootstrap-servers", "127.0.0.1:1", "--data-dir", temp.toString(),
                "--jwt-typ", "vc+jwt");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--jwt-typ configures the issuer, which `credpipe ingest` does not run");
        assertThat(temp.resolve("keys")).doesNotExist();
    }

    @Test
    void keysRotateAddsAKeyOfTheRequestedAlgorithmAndKeepsTheOthers() throws Exception {
        assertThat(cli().execute("keys", "rotate", "--data-dir", temp.toString())).isZero();
        IssuerKeys es = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        assertThat(es.activeAlgorithm()).isEqualTo(SigningAlgorithm.ES256);

        assertThat(cli().execute("keys", "rotate", "--data-dir", temp.toString(), "--signing-algorithm", "RS256")).isZero();

        IssuerKeys rs = IssuerKeys.loadOrCreate(temp.resolve("keys"));
        assertThat(rs.activeAlgorithm()).isEqualTo(SigningAlgorithm.RS256);
        assertThat(out.toString()).contains("active signing key: " + es.activeKeyId() + " (ES256; 1 keys published)",
                "active signing key: " + rs.activeKeyId() + " (RS256; 2 keys published)");
        // On a fresh directory the first rotate made the first key, and only it.
        assertThat(rs.publicJwks().getKeys()).extracting(JWK::getKeyID)
                .containsExactly(rs.activeKeyId(), es.activeKeyId());
        assertThat(rs.publicJwks().getKeys()).extracting(jwk -> jwk.getKeyType().getValue())
                .containsExactly("RSA", "EC");
        assertThat(Files.getPosixFilePermissions(temp.resolve("keys").resolve("signing-keys.jwks.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(out.toString() + err).doesNotContain("\"d\"");
    }
}
