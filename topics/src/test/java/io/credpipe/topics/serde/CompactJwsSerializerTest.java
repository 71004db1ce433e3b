package io.credpipe.topics.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.credpipe.model.credential.IssuedCredential;
import io.credpipe.model.framework.FrameworkId;
import io.credpipe.model.framework.Level;
import io.credpipe.model.json.Json;
import io.credpipe.topics.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The credential's JWT is copied, not escaped, and the record reads back the same either way. */
class CompactJwsSerializerTest {

    private static final String JWS = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLV8";

    private static IssuedCredential credential(String jwt) {
        return new IssuedCredential("c-1", "acme:E1", FrameworkId.parse("51-8091.00@v.26.05").orElseThrow(),
                Level.EMERGING, 1, jwt, Instant.parse("2026-05-20T09:30:00Z"), null, "kid");
    }

    @Test
    void everyStringIsWrittenAsTheGeneralWriterWritesIt() throws Exception {
        ObjectMapper general = Json.newMapper();
        // Not compact JWS: quotes, backslashes, control and non-Latin-1 characters, Latin-1 letters, empty.
        for (String jwt : List.of(JWS, "", "a\"b", "a\\b", "line\nbreak", "\u0000", "é.ü", "✓.x", "a b", "a/b+c=")) {
            byte[] written = Topics.CREDENTIALS.valueSerde().serializer().serialize("credentials", credential(jwt));
            String json = new String(written, StandardCharsets.UTF_8);

            assertThat(json).contains("\"jwt\":" + general.writeValueAsString(jwt));
            assertThat(Topics.CREDENTIALS.valueSerde().deserializer().deserialize("credentials", written))
                    .isEqualTo(credential(jwt));
        }
    }

    @Test
    void aWriterBasedGeneratorGetsTheGeneralWriter() throws Exception {
        String json = Json.newMapper().writeValueAsString(credential(JWS));

        assertThat(json).contains("\"jwt\":\"" + JWS + "\"");
    }
}
