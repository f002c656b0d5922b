package dev.tessera.server.application.port;

import dev.tessera.server.domain.authz.Consent;

import java.util.Optional;

/** Remembered consents, one row per user and client. */
public interface ConsentStore {
    Optional<Consent> find(String userId, String clientId);

    /** Stores the consent, replacing any earlier one for the same user and client. */
    void save(Consent consent);

    void revoke(String userId, String clientId);
}
