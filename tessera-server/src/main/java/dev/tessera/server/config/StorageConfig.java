package dev.tessera.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The store: embedded H2 at {@code path}, or PostgreSQL at the JDBC {@code url}.
 *
 * @param type     {@value #H2} or {@value #POSTGRES}
 * @param path     H2 only: the database file path without extension
 * @param url      PostgreSQL only; null for H2
 * @param username PostgreSQL only; may be null
 * @param password PostgreSQL only; may be null; never printed by {@link #toString()}
 * @param poolSize  connections in the pool (both databases)
 * @param connectionTimeout PostgreSQL only: how long a request waits for a pooled connection before it is answered
 *                  503 temporarily_unavailable
 */
public record StorageConfig(String type, Path path, String url, String username, String password, int poolSize,
                            Duration connectionTimeout) {
    public static final String H2 = "h2";
    public static final String POSTGRES = "postgres";
    public static final Path DEFAULT_H2_PATH = Path.of("./data/tessera");
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(1);

    public StorageConfig {
        connectionTimeout = connectionTimeout == null ? DEFAULT_CONNECTION_TIMEOUT : connectionTimeout;
    }

    public StorageConfig(String type, Path path, String url, String username, String password) {
        this(type, path, url, username, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT);
    }

    public static StorageConfig defaults() {
        return h2(DEFAULT_H2_PATH);
    }

    public static StorageConfig h2(Path path) {
        return new StorageConfig(H2, path, null, null, null);
    }

    public static StorageConfig postgres(String url, String username, String password) {
        return new StorageConfig(POSTGRES, DEFAULT_H2_PATH, url, username, password);
    }

    public StorageConfig withPool(int size, Duration timeout) {
        return new StorageConfig(type, path, url, username, password, size, timeout);
    }

    public boolean isPostgres() {
        return POSTGRES.equals(type);
    }

    @Override
    public String toString() {
        return "StorageConfig[type=" + type + ", path=" + path + ", url=" + url + ", username=" + username
                + ", password=" + Redaction.mask(password) + ", poolSize=" + poolSize
                + ", connectionTimeout=" + Durations.format(connectionTimeout) + "]";
    }
}
