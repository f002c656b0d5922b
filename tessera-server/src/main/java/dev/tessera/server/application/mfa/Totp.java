package dev.tessera.server.application.mfa;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * TOTP, RFC 6238 with the parameters every authenticator app uses by default: HMAC-SHA-1, 6 digits, 30-second
 * steps counted from the Unix epoch. A code is accepted for the current step and one step either side (RFC 6238
 * §5.2 recommends at most one step of network delay), so a clock up to about 30 s off still works.
 */
public final class Totp {
    public static final int DIGITS = 6;
    public static final long STEP_SECONDS = 30;
    /** RFC 6238 §5.2: one step back for transmission delay, one forward for a fast phone clock. */
    static final int WINDOW = 1;
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {
    }

    /** The time step {@code at} falls in (RFC 6238 §4.2: T = floor((unix time - T0) / X), T0 = 0). */
    public static long stepAt(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** When a step has ended for good, window included: after that no code of it is ever accepted. */
    public static Instant acceptedUntil(long step) {
        return Instant.ofEpochSecond((step + 1 + WINDOW) * STEP_SECONDS);
    }

    /** The 6-digit code for {@code step}. */
    public static String code(byte[] secret, long step) {
        return code(secret, step, DIGITS);
    }

    /**
     * The step inside the window around {@code now} whose code {@code submitted} is, or empty. Every step of the
     * window is computed and compared in constant time, whatever matches, so timing tells nothing about the code.
     */
    public static OptionalLong matchingStep(byte[] secret, String submitted, Instant now) {
        if (submitted == null || submitted.length() != DIGITS || !submitted.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        byte[] presented = submitted.getBytes(StandardCharsets.US_ASCII);
        long current = stepAt(now);
        long matched = Long.MIN_VALUE;
        for (long step = current - WINDOW; step <= current + WINDOW; step++) {
            boolean equal = MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII), presented);
            if (equal && matched == Long.MIN_VALUE) {
                matched = step;
            }
        }
        return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
    }

    /** RFC 4226 §5.3 (HOTP) over the step counter: dynamic truncation, then the low {@code digits} decimal digits. */
    static String code(byte[] secret, long step, int digits) {
        byte[] hash;
        try {
            Mac mac = Mac.getInstance("HmacSHA1"); // not thread-safe: one per call
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is in every JDK", e);
        }
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        String digitsText = Integer.toString(binary % POWERS[digits]);
        return "0".repeat(digits - digitsText.length()) + digitsText;
    }
}
