package dev.tessera.server.http.view;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.util.Map;

/**
 * A QR code as one SVG path (a rectangle per run of dark modules), so the page can draw it inline: no image
 * request, nothing for the CSP to allow, and the template escapes the path like any other attribute.
 *
 * @param size the side in modules, quiet zone included
 * @param path the SVG path data of the dark modules
 */
public record QrSvg(int size, String path) {
    private static final int QUIET_ZONE = 4; // ISO/IEC 18004
    // Level L (7 % recovery): a screen is not a torn label, and fewer modules scan better at phone size.

    public static QrSvg of(String text) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, QUIET_ZONE));
        } catch (WriterException e) {
            throw new IllegalArgumentException("too long for a QR code", e);
        }
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < matrix.getHeight(); y++) {
            int x = 0;
            while (x < matrix.getWidth()) {
                if (!matrix.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < matrix.getWidth() && matrix.get(x, y)) {
                    x++;
                }
                path.append('M').append(start).append(' ').append(y).append('h').append(x - start)
                        .append("v1h-").append(x - start).append('z');
            }
        }
        return new QrSvg(matrix.getWidth(), path.toString());
    }
}
