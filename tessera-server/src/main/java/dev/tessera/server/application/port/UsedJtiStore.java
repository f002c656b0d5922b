package dev.tessera.server.application.port;

import java.time.Instant;

/** Single-use JWT ids (client assertions, ID-JAGs), keyed by issuer and jti. */
public interface UsedJtiStore {
    /** One atomic insert: true for the first caller, false for every later one until {@code expiresAt}. */
    boolean markUsed(String issuer, String jti, Instant expiresAt);

    int purgeExpired(Instant now);
}
