package dev.tessera.server.infrastructure.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Builds every JDBC URL and pool Tessera uses. H2's URL and its settings are written here and nowhere
 * else, so {@code serve --dev} and the tests get the same H2 behaviour.
 */
public final class DataSources {
    // H2 settings shared by file and memory databases: wait (not fail at once) for row locks held by
    // concurrent redeem/rotate transactions.
    private static final String H2_SETTINGS = ";LOCK_TIMEOUT=10000";
    // SPEC §8, a crash loses no issued refresh token: by default H2 writes committed changes to the file up to
    // WRITE_DELAY (500 ms) later, so a killed process lost rotations it had already answered. With 0 every
    // commit writes its chunk before it returns, which survives the process dying (the OS holds the write); what
    // H2 makes of those chunks when it reopens a killed store is H2CrashRecovery's job.
    // H2 does not fsync per commit, so a power cut can still lose the last second: PostgreSQL for that.
    // The cost, measured side by side: the store alone rotates 0.17x to 0.7x as fast (RefreshRotationThroughput;
    // the less CPU-bound, the bigger the gap), refreshes at /token with RS256-4096 0.8x as fast, and the file
    // grows faster, because each commit is its own chunk and H2's compaction only runs with a write delay.
    private static final String H2_FILE_SETTINGS = ";WRITE_DELAY=0";
    private static final Pattern MEMORY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    // PgJDBC's own defaults let a TCP connect to a silent host take 10 s and a statement on a dead connection wait
    // for ever. A request never waits for these (it waits at most the pool's connection timeout); they bound the
    // pool's background reconnect attempts and a statement already running when the network goes silent. An
    // operator can override each one in storage.url (URL parameters win over these properties).
    private static final Duration PG_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PG_LOGIN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PG_SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private DataSources() {
    }

    /**
     * An embedded H2 database in {@code <path>.mv.db}; the path is made absolute so the working directory cannot
     * move it. After an unclean shutdown the store is first repaired ({@link H2CrashRecovery}), before any
     * pooled connection can see it.
     */
    public static HikariDataSource h2File(Path path) {
        return h2File(path, PoolSettings.DEFAULTS);
    }

    public static HikariDataSource h2File(Path path, PoolSettings settings) {
        String url = h2FileUrl(path);
        H2CrashRecovery.prepare(path, url);
        return pool(url, "sa", "", "tessera-h2", settings.size());
    }

    /**
     * A private in-memory H2 database that lives until {@code SHUTDOWN} or the JVM ends (DB_CLOSE_DELAY=-1,
     * so the pool recycling its connections does not drop it). For tests and throwaway runs.
     */
    public static HikariDataSource h2InMemory(String name) {
        return pool(h2MemoryUrl(name), "sa", "", "tessera-h2-mem", PoolSettings.DEFAULT_SIZE);
    }

    public static HikariDataSource postgres(String url, String username, String password) {
        return postgres(url, username, password, PoolSettings.DEFAULTS);
    }

    /**
     * A PostgreSQL pool that fails fast when the server is down: a request waits at most
     * {@code settings.connectionTimeout()} for a connection, a borrowed idle connection is checked within half of
     * that, and the pool keeps reconnecting in the background, so service resumes by itself once the server is
     * back.
     */
    public static HikariDataSource postgres(String url, String username, String password, PoolSettings settings) {
        if (SqlDialect.forUrl(url) != SqlDialect.POSTGRES) {
            throw new IllegalArgumentException("storage.url must be a jdbc:postgresql: URL");
        }
        HikariConfig config = config(url, username, password, "tessera-postgres", settings.size());
        long waitMillis = settings.connectionTimeout().toMillis();
        config.setConnectionTimeout(waitMillis);
        // Checking a borrowed connection must leave time to try another within the wait (HikariCP minimum 250 ms).
        config.setValidationTimeout(Math.max(PoolSettings.MIN_CONNECTION_TIMEOUT.toMillis(), waitMillis / 2));
        config.addDataSourceProperty("connectTimeout", seconds(PG_CONNECT_TIMEOUT));
        config.addDataSourceProperty("loginTimeout", seconds(PG_LOGIN_TIMEOUT));
        config.addDataSourceProperty("socketTimeout", seconds(PG_SOCKET_TIMEOUT));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(config);
    }

    public static String h2FileUrl(Path path) {
        return "jdbc:h2:file:" + path.toAbsolutePath().normalize() + H2_SETTINGS + H2_FILE_SETTINGS;
    }

    public static String h2MemoryUrl(String name) {
        if (!MEMORY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("in-memory database name must be 1-64 letters, digits, '_' or '-'");
        }
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1" + H2_SETTINGS;
    }

    private static HikariDataSource pool(String url, String username, String password, String poolName, int size) {
        return new HikariDataSource(config(url, username, password, poolName, size));
    }

    private static HikariConfig config(String url, String username, String password, String poolName, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(username);
        config.setPassword(password);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(size);
        config.setAutoCommit(true);
        return config;
    }

    private static String seconds(Duration duration) {
        return Long.toString(Math.max(1, duration.toSeconds()));
    }
}
