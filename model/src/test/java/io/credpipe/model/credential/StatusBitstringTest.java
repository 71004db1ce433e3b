package io.credpipe.model.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class StatusBitstringTest {

    private static byte[] rawBits(String encodedList) throws Exception {
        assertThat(encodedList).startsWith("u").doesNotContain("=", "+", "/");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(
                Base64.getUrlDecoder().decode(encodedList.substring(1))))) {
            return in.readAllBytes();
        }
    }

    @Test
    void anEmptyListIsAtLeast16KilobytesOfZeroesGzippedBase64urlWithTheUPrefix() throws Exception {
        byte[] bits = rawBits(StatusBitstring.empty(131_072, 1).encode());

        assertThat(bits).hasSize(16_384).containsOnly(0);
    }

    @Test
    void indexZeroIsTheMostSignificantBitOfTheFirstByte() throws Exception {
        byte[] oneBit = rawBits(StatusBitstring.empty(131_072, 1).withStatus(0, 1).withStatus(9, 1).encode());
        assertThat(oneBit[0]).isEqualTo((byte) 0x80);
        assertThat(oneBit[1]).isEqualTo((byte) 0x40);

        byte[] twoBits = rawBits(StatusBitstring.empty(131_072, 2)
                .withStatus(0, 0b01).withStatus(1, 0b10).withStatus(3, 0b11).encode());
        assertThat(twoBits).hasSize(32_768);
        assertThat(twoBits[0]).isEqualTo((byte) 0b01_10_00_11);
    }

    @Test
    void decodingGivesBackEveryStatus() {
        StatusBitstring list = StatusBitstring.empty(131_072, 2)
                .withStatus(5, 3).withStatus(131_071, 2).withStatus(70_000, 1);

        StatusBitstring decoded = StatusBitstring.decode(list.encode(), 131_072, 2);

        assertThat(decoded).isEqualTo(list);
        assertThat(decoded.status(5)).isEqualTo(3);
        assertThat(decoded.status(131_071)).isEqualTo(2);
        assertThat(decoded.status(70_000)).isEqualTo(1);
        assertThat(decoded.status(6)).isZero();
    }

    @Test
    void changesLeaveTheOriginalUntouched() {
        StatusBitstring empty = StatusBitstring.empty(131_072, 2);

        StatusBitstring changed = empty.withStatus(7, 2).withStatus(7, 0);

        assertThat(empty.status(7)).isZero();
        assertThat(changed).isEqualTo(empty);
    }

    @Test
    void theSpecificationsEmptyListExampleDecodes() {
        // The encodedList of the Bitstring Status List v1.0 §2.2 example credential: an empty list of 131,072 one-bit entries.
        StatusBitstring decoded = StatusBitstring.decode(
                "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", 131_072, 1);

        assertThat(decoded).isEqualTo(StatusBitstring.empty(131_072, 1));
    }

    @Test
    void listsBelowTheHerdPrivacyMinimumAndOutOfRangeStatusesAreRefused() {
        assertThatThrownBy(() -> StatusBitstring.empty(131_071, 1)).isInstanceOf(IllegalArgumentException.class);
        StatusBitstring list = StatusBitstring.empty(131_072, 2);
        assertThatThrownBy(() -> list.withStatus(131_072, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> list.withStatus(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusBitstring.decode("H4sI", 131_072, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusBitstring.decode(StatusBitstring.empty(131_072, 1).encode(), 131_072, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
