package io.credpipe.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SurrogatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theFirstUnpairedSurrogateIsNamedByItsJsonPointer() throws Exception {
        assertThat(Surrogates.firstUnpaired(JSON.readTree("{\"a\":{\"b~/c\":[\"x\",\"y\\ud800\"]}}"))).isEqualTo("/a/b~0~1c/1");
        assertThat(Surrogates.firstUnpaired(JSON.readTree("{\"ok\":\"\\ud83d\\ude00\",\"k\\udc00\":1}"))).as("a member name").isEqualTo("/k\udc00");
        assertThat(Surrogates.firstUnpaired(JSON.readTree("\"\\udfff\""))).as("the root itself").isEqualTo("/");
    }

    @Test
    void pairedSurrogatesAndPlainTextHaveNone() throws Exception {
        assertThat(Surrogates.firstUnpaired(JSON.readTree("{\"name\":\"Zoë \\ud83d\\ude00\",\"list\":[1,\"a\",{\"b\":null}]}"))).isNull();
    }
}
