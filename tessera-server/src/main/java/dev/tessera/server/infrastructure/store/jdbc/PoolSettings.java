package dev.tessera.server.infrastructure.store.jdbc;

import java.time.Duration;

/**
 * How the connection pool behaves: {@code size} connections at most, and how long a request may wait for one
 * ({@code connectionTimeout}) before the store reports itself unavailable. The wait applies to PostgreSQL only:
 * an embedded H2 database cannot be unreachable, so there a request waits out contention instead.
 */
public record PoolSettings(int size, Duration connectionTimeout) {
    public static final int DEFAULT_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    /** HikariCP refuses a shorter connection timeout. */
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    public static final PoolSettings DEFAULTS = new PoolSettings(DEFAULT_SIZE, DEFAULT_CONNECTION_TIMEOUT);

    public PoolSettings {
        if (size < 1) {
            throw new IllegalArgumentException("the pool needs at least one connection");
        }
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("the connection timeout must be at least " + MIN_CONNECTION_TIMEOUT.toMillis() + "ms");
        }
    }
}
