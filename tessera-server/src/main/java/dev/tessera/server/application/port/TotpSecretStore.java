package dev.tessera.server.application.port;

import java.time.Instant;
import java.util.Optional;

/**
 * Each user's enrolled TOTP secret, sealed by {@link SecretCipher} before it reaches the store: a copy of the
 * database alone never yields a secret. One secret per user; saving replaces the previous one.
 */
public interface TotpSecretStore {
    Optional<String> find(String userId);

    boolean isEnrolled(String userId);

    /** Stores {@code sealedSecret} as the user's only secret (enrol or re-enrol). */
    void save(String userId, String sealedSecret, Instant enrolledAt);

    /** @return whether there was a secret to remove */
    boolean delete(String userId);
}
