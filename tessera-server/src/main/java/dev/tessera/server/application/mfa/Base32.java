package dev.tessera.server.application.mfa;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * RFC 4648 §6 base32, the form authenticator apps show and accept secrets in. The codec itself is Bouncy
 * Castle's (already on the classpath for PEM keys); this class adds the leniency people expect when they copy
 * a secret (lower case, spaces between groups, missing padding) and the strictness a secret deserves (any
 * other character is an error, never silently dropped).
 */
public final class Base32 {
    private static final Pattern ALPHABET = Pattern.compile("[A-Z2-7]+=*");

    private Base32() {
    }

    /** Unpadded upper case, as the Key URI format of authenticator apps wants it. */
    public static String encode(byte[] bytes) {
        String padded = org.bouncycastle.util.encoders.Base32.toBase32String(bytes);
        int end = padded.indexOf('=');
        return end < 0 ? padded : padded.substring(0, end);
    }

    /** @throws IllegalArgumentException when {@code text} is not base32 (the message never repeats it) */
    public static byte[] decode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no base32 text");
        }
        String compact = text.replace(" ", "").toUpperCase(Locale.ROOT);
        if (compact.isEmpty() || !ALPHABET.matcher(compact).matches()) {
            throw new IllegalArgumentException("not base32: only the letters A-Z and digits 2-7 are allowed");
        }
        String unpadded = compact.replace("=", "");
        // RFC 4648 §6: the last quantum holds 2, 4, 5 or 7 characters; 1, 3 or 6 cannot come from any bytes.
        int rest = unpadded.length() % 8;
        if (rest == 1 || rest == 3 || rest == 6) {
            throw new IllegalArgumentException("not base32: the length is impossible for encoded bytes");
        }
        if (compact.length() != unpadded.length() && compact.length() % 8 != 0) {
            throw new IllegalArgumentException("not base32: wrong padding");
        }
        String padded = unpadded + "=".repeat((8 - rest) % 8);
        try {
            return org.bouncycastle.util.encoders.Base32.decode(padded);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not base32", e);
        }
    }
}
