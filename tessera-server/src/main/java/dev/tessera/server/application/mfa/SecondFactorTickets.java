package dev.tessera.server.application.mfa;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * What carries "this person has given the first factor" from the password step to the code step: a short-lived
 * ticket in the form, HMAC-SHA256 under a server key shared by every instance. It names the user and the
 * authorization request it was made for, so it neither starts a session by itself nor serves another request.
 * A stolen ticket is worth only more code guesses, which the per-user throttle counts.
 */
public final class SecondFactorTickets {
    /** Long enough to unlock a phone and type a code; short enough that a forgotten tab is not an open door. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    /** @param key at least 32 random bytes, the same on every instance */
    public SecondFactorTickets(byte[] key, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the ticket key must have at least 256 bits");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.clock = clock;
    }

    public String issue(String userId, String requestFingerprint) {
        String body = B64.encodeToString(userId.getBytes(StandardCharsets.UTF_8)) + "."
                + clock.instant().plus(LIFETIME).getEpochSecond();
        return body + "." + mac(body, requestFingerprint);
    }

    /** The user the ticket names, when it is genuine, unexpired and was made for this request. */
    public Optional<String> userIdFrom(String ticket, String requestFingerprint) {
        if (ticket == null || ticket.length() > 1024) {
            return Optional.empty();
        }
        String[] parts = ticket.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        String body = parts[0] + "." + parts[1];
        if (!MessageDigest.isEqual(mac(body, requestFingerprint).getBytes(StandardCharsets.US_ASCII),
                parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            if (!clock.instant().isBefore(Instant.ofEpochSecond(Long.parseLong(parts[1])))) {
                return Optional.empty();
            }
            return Optional.of(new String(B64D.decode(parts[0]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) { // NumberFormatException too: only a forged body gets here
            return Optional.empty();
        }
    }

    private String mac(String body, String requestFingerprint) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256"); // not thread-safe: one per call
            mac.init(key);
            byte[] tag = mac.doFinal(("tessera-second-factor\n" + body + "\n" + requestFingerprint)
                    .getBytes(StandardCharsets.UTF_8));
            return B64.encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is in every JDK", e);
        }
    }
}
