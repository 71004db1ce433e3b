package io.credpipe.issuer.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QrCodeTest {

    private static final String LINK = "openid-credential-offer://?credential_offer_uri="
            + "https%3A%2F%2Fcredentials.example.com%2Foid4vci%2Foffer%3Fid%3D2Jf7rqgiOikkgnt8kwCVLQ";

    @Test
    void theSvgPathDecodesBackToTheLink() throws Exception {
        QrCode qr = QrCode.of(LINK);

        // Read the drawing, not the matrix it came from: every "Mx y" square is one dark module.
        BitMatrix drawn = new BitMatrix(qr.size());
        Matcher square = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z").matcher(qr.path());
        int end = 0;
        while (square.find()) {
            assertThat(square.start()).as("nothing between squares").isEqualTo(end);
            drawn.set(Integer.parseInt(square.group(1)), Integer.parseInt(square.group(2)));
            end = square.end();
        }
        assertThat(end).isEqualTo(qr.path().length());

        int code = qr.size() - 8;
        BitMatrix symbol = new BitMatrix(code);
        for (int y = 0; y < code; y++) {
            for (int x = 0; x < code; x++) {
                if (drawn.get(x + 4, y + 4)) {
                    symbol.set(x, y);
                }
            }
        }
        assertThat(new Decoder().decode(symbol).getText()).isEqualTo(LINK);
        assertThat((code - 17) % 4).as("a QR symbol is 17 + 4 × version modules a side").isZero();
    }

    @Test
    void leavesAQuietZoneOfFourLightModules() {
        QrCode qr = QrCode.of(LINK);
        BitMatrix matrix = QrCode.matrix(LINK);

        assertThat(matrix.getWidth()).isEqualTo(qr.size());
        for (int i = 0; i < qr.size(); i++) {
            for (int q = 0; q < 4; q++) {
                assertThat(matrix.get(i, q) || matrix.get(q, i) || matrix.get(i, qr.size() - 1 - q) || matrix.get(qr.size() - 1 - q, i))
                        .as("module in the quiet zone").isFalse();
            }
        }
        assertThat(matrix.get(4, 4)).as("the finder pattern's corner").isTrue();
    }

    @Test
    void refusesTextTooLongForAnyVersion() {
        assertThatThrownBy(() -> QrCode.of("x".repeat(3_000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3000 characters");
    }
}
