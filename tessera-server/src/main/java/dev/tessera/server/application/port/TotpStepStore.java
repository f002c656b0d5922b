package dev.tessera.server.application.port;

import java.time.Instant;

/**
 * The TOTP time steps each user has spent. RFC 6238 §5.2: a verifier must not accept the second attempt of the
 * same code after the first succeeded, so a code seen over someone's shoulder, or replayed from a proxy log, is
 * worthless once used.
 */
public interface TotpStepStore {
    /**
     * One atomic insert of ({@code userId}, {@code step}): true for the first caller across every instance, false
     * for every later one until {@code expiresAt}, when the step can no longer be accepted anyway.
     */
    boolean markUsed(String userId, long step, Instant expiresAt);

    int purgeExpired(Instant now);
}
