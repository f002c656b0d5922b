package dev.tessera.server.config;

import java.time.Duration;

/**
 * {@code keys.rotation}: a new key is published {@code prePublish} before it starts signing, {@code every} after
 * the current key started.
 */
public record KeyRotationConfig(Duration every, Duration prePublish) {
    public static final Duration DEFAULT_EVERY = Duration.ofDays(90);
    public static final Duration DEFAULT_PRE_PUBLISH = Duration.ofDays(7);
    /** The JWKS endpoint's Cache-Control max-age: a verifier may hold an older JWKS this long. */
    public static final Duration MIN_PRE_PUBLISH = Duration.ofMinutes(5);
}
