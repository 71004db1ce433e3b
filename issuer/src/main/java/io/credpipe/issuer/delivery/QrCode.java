package io.credpipe.issuer.delivery;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/**
 * A QR code (zxing) of a wallet link, as one SVG path so a page's template draws it inline: no
 * image request, nothing for a strict CSP to allow, sharp at any size. Error correction M and a
 * quiet zone of four modules (ISO/IEC 18004 §6.3.8), which phone cameras read off a screen.
 *
 * @param size the number of modules on a side, quiet zone included
 * @param path the SVG path data of the dark modules, one unit square each
 */
public record QrCode(int size, String path) {

    private static final int QUIET_ZONE = 4;

    /** The QR code of {@code text}. */
    public static QrCode of(String text) {
        BitMatrix matrix = matrix(text);
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < matrix.getHeight(); y++) {
            for (int x = 0; x < matrix.getWidth(); x++) {
                if (matrix.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        return new QrCode(matrix.getWidth(), path.toString());
    }

    /** The QR code of {@code text} as zxing's bit matrix, one bit per module, quiet zone included: for a PNG. */
    public static BitMatrix matrix(String text) {
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, QUIET_ZONE));
        } catch (WriterException e) {
            throw new IllegalArgumentException("too long for a QR code: " + text.length() + " characters", e);
        }
    }
}
