package dev.tessera.server.bootstrap;

import dev.tessera.server.application.port.Stores;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.infrastructure.store.jdbc.JdbcAccessTokenStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcAuthorizationCodeStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcClientStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcConsentStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcRateLimitStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcRefreshTokenStore;
import dev.tessera.server.infrastructure.keys.KeyEncryptionKey;
import dev.tessera.server.infrastructure.store.jdbc.JdbcServerSecretStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcSigningKeyStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcSessionStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcTotpSecretStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcTotpStepStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcTransactor;
import dev.tessera.server.infrastructure.store.jdbc.JdbcUsedJtiStore;
import dev.tessera.server.infrastructure.store.jdbc.JdbcUserStore;
import dev.tessera.server.infrastructure.store.jdbc.PoolSettings;
import dev.tessera.server.infrastructure.store.CachedClientStore;
import dev.tessera.server.infrastructure.store.jdbc.SqlDialect;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Constructs the JDBC storage adapters: the one place they are created (ARCHITECTURE §2.3). */
public final class StoreWiring {
    private StoreWiring() {
    }

    /** Every store over one pool; they share one transactor so {@code inTransaction} spans them all. */
    public static Stores jdbc(DataSource dataSource, SqlDialect dialect) {
        JdbcTransactor transactor = new JdbcTransactor(dataSource);
        return new Stores(
                new JdbcClientStore(transactor, dialect),
                new JdbcUserStore(transactor, dialect),
                new JdbcAuthorizationCodeStore(transactor, dialect),
                new JdbcRefreshTokenStore(transactor, dialect),
                new JdbcAccessTokenStore(transactor, dialect),
                new JdbcConsentStore(transactor, dialect),
                new JdbcSessionStore(transactor, dialect),
                new JdbcUsedJtiStore(transactor, dialect),
                new JdbcRateLimitStore(transactor, dialect),
                transactor,
                new JdbcServerSecretStore(transactor, dialect),
                new JdbcTotpSecretStore(transactor, dialect),
                new JdbcTotpStepStore(transactor, dialect));
    }

    /** The key ring in the database, sealed under {@code kek} ({@code keys.source: store}). */
    public static JdbcSigningKeyStore signingKeys(Database database, KeyEncryptionKey kek) {
        return new JdbcSigningKeyStore(new JdbcTransactor(database.dataSource()), database.dialect(), kek);
    }

    public static Stores jdbc(Database database) {
        return jdbc(database.dataSource(), database.dialect());
    }

    /**
     * The stores of a running server: as {@link #jdbc(Database)}, with each client read kept for a moment
     * ({@link CachedClientStore}); the CLI uses the uncached stores.
     */
    public static Stores forServer(Database database) {
        Stores s = jdbc(database);
        return new Stores(new CachedClientStore(s.clients(), CachedClientStore.DEFAULT_TTL), s.users(), s.codes(),
                s.refreshTokens(), s.accessTokens(), s.consents(), s.sessions(), s.usedJtis(), s.rateLimits(),
                s.transactor(), s.secrets(), s.totpSecrets(), s.totpSteps());
    }

    /**
     * Opens and migrates the database that {@code storage.*} describes: {@code type} is {@code h2}
     * (uses {@code path}) or {@code postgres} (uses {@code url}, {@code username}, {@code password}).
     * The caller closes it on shutdown.
     */
    public static Database openDatabase(String type, Path path, String url, String username, String password) {
        return openDatabase(type, path, url, username, password, PoolSettings.DEFAULTS);
    }

    private static Database openDatabase(String type, Path path, String url, String username, String password,
                                         PoolSettings pool) {
        return switch (type == null ? "h2" : type.toLowerCase(Locale.ROOT)) {
            case "h2" -> Database.h2File(requireNonNull(path, "storage.path"), pool);
            case "postgres", "postgresql" ->
                    Database.postgres(requireNonNull(url, "storage.url"), username, password, pool);
            default -> throw new IllegalArgumentException("storage.type must be h2 or postgres");
        };
    }

    /**
     * Readiness of the store behind {@code stores}: a bounded round trip to the database (false at once while it is
     * known to be down).
     */
    public static BooleanSupplier reachability(Stores stores) {
        if (stores.transactor() instanceof JdbcTransactor jdbc) {
            return jdbc::reachable;
        }
        throw new IllegalArgumentException("not JDBC stores: " + stores.transactor().getClass().getName());
    }

    /** Opens and migrates the store that the configuration's {@code storage} section describes. */
    public static Database open(dev.tessera.server.config.StorageConfig storage) {
        return openDatabase(storage.type(), storage.path(), storage.url(), storage.username(), storage.password(),
                new PoolSettings(storage.poolSize(), storage.connectionTimeout()));
    }

    /** Where the store is, for messages: the H2 file, or the PostgreSQL URL (never the credentials). */
    public static String describe(dev.tessera.server.config.StorageConfig storage) {
        return storage.isPostgres() ? storage.url() : String.valueOf(storage.path());
    }

    /** A fresh, migrated in-memory H2 database (tests, throwaway runs); close it to free the memory. */
    public static Database openInMemory() {
        return Database.h2InMemory("tessera-" + UUID.randomUUID());
    }

    private static <T> T requireNonNull(T value, String key) {
        if (value == null) {
            throw new IllegalArgumentException(key + " is required");
        }
        return value;
    }
}
