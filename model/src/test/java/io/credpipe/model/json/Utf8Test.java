package io.credpipe.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void malformedUtf8IsFoundAtItsByteOffsetBehindAnyAsciiPrefix() {
        assertThat(Utf8.malformedAt("{\"eventId\":\"abc\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(Utf8.malformedAt("{\"name\":\"Zoë Šimková 日本\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        byte[] overlong = {'a', 'b', (byte) 0xC0, (byte) 0xAF, 'c', 'd'};
        assertThat(Utf8.malformedAt(overlong)).as("the overlong '/'").isEqualTo(2);
        byte[] surrogateAfterValid = {'x', (byte) 0xC3, (byte) 0xAB, 'y', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertThat(Utf8.malformedAt(surrogateAfterValid)).as("an encoded surrogate after an ë").isEqualTo(4);
        byte[] truncated = {'a', (byte) 0xE6, (byte) 0x97};
        assertThat(Utf8.malformedAt(truncated)).as("a sequence cut short").isEqualTo(1);
        assertThat(Utf8.malformedAt(new byte[0])).isEqualTo(-1);
    }
}
