package io.credpipe.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.app.Credpipe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code credpipe verify --json} prints the document {@code POST /v1/verify} answers. */
class VerifyCommandJsonTest {

    @Test
    void printsTheReportDocument(@TempDir Path dir) throws Exception {
        Path credential = Files.writeString(dir.resolve("forged.jwt"), "eyJhbGciOiJub25lIn0.e30.\n");
        Path jwks = Files.writeString(dir.resolve("jwks.json"), "{\"keys\": []}");
        StringWriter out = new StringWriter();
        var cli = Credpipe.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("verify", "--json", "--jwks", jwks.toString(), credential.toString());
        assertThat(exit).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.path("verdict").asText()).isEqualTo("not-verified");
        assertThat(report.path("checks").get(0).path("name").asText()).isEqualTo("input");
        assertThat(report.toString()).contains("\"outcome\":\"fail\"").contains("\"explanation\"");
    }
}
