package dev.tessera.server.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.util.Map;

/**
 * A QR code drawn with Unicode half blocks, two modules per character cell, so a phone can scan it from the
 * terminal. With {@code colours}, ANSI codes force black on white whatever the terminal's theme (scanners want
 * dark modules on a light ground); without, the blocks are the dark modules, right for a light terminal.
 */
final class TerminalQr {
    private static final int QUIET_ZONE = 2; // modules; ISO/IEC 18004 asks 4, 2 scans fine on a screen
    private static final String BLACK_ON_WHITE = "\u001b[30;47m";
    private static final String RESET = "\u001b[0m";

    private TerminalQr() {
    }

    static String render(String text, boolean colours) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, QUIET_ZONE));
        } catch (WriterException e) {
            throw new IllegalArgumentException("too long for a QR code", e);
        }
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < matrix.getHeight(); y += 2) {
            if (colours) {
                out.append(BLACK_ON_WHITE);
            }
            for (int x = 0; x < matrix.getWidth(); x++) {
                boolean top = matrix.get(x, y);
                boolean bottom = y + 1 < matrix.getHeight() && matrix.get(x, y + 1);
                out.append(top ? (bottom ? '\u2588' : '\u2580') : (bottom ? '\u2584' : ' '));
            }
            if (colours) {
                out.append(RESET);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
