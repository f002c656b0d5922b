package dev.tessera.server.config;

import java.time.Duration;

/**
 * Browser sessions: one ends after {@code idleTimeout} without use (each use slides it) and in any case
 * {@code maxLifetime} after the sign-in that started it.
 */
public record SessionsConfig(Duration idleTimeout, Duration maxLifetime) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(12);

    public static SessionsConfig defaults() {
        return new SessionsConfig(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_LIFETIME);
    }
}
