package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.RateLimitStore;

import java.time.Duration;
import java.time.Instant;

/**
 * Fixed-window counters, one row per (key, window length, window start), shared by every instance.
 * The increment is a portable UPDATE-then-INSERT loop inside one transaction: the UPDATE's row lock
 * makes the count read back include exactly this hit. Call {@link #hit} outside any transaction that
 * may roll back (a failed login throws): a hit made inside one is undone with it.
 */
public final class JdbcRateLimitStore implements RateLimitStore {
    private final SqlExecutor sql;

    public JdbcRateLimitStore(JdbcTransactor transactor, SqlDialect dialect) {
        this.sql = new SqlExecutor(transactor, dialect);
    }

    @Override
    public int hit(String key, Duration window, Instant now) {
        long windowMs = requirePositive(window);
        Instant start = windowStart(windowMs, now);
        return sql.transaction(() -> {
            while (sql.update("UPDATE rate_limits SET hits = hits + 1 WHERE bucket = ? AND window_ms = ? AND window_start = ?",
                    key, windowMs, start) == 0) {
                if (sql.insertIgnoringDuplicate("INSERT INTO rate_limits (bucket, window_ms, window_start, hits, expires_at) "
                        + "VALUES (?,?,?,1,?)", key, windowMs, start, start.plusMillis(windowMs))) {
                    return 1;
                }
                // another instance created the row first: go round and increment it
            }
            return read(key, windowMs, start);
        });
    }

    @Override
    public int count(String key, Duration window, Instant now) {
        long windowMs = requirePositive(window);
        return read(key, windowMs, windowStart(windowMs, now));
    }

    @Override
    public void reset(String key) {
        sql.update("DELETE FROM rate_limits WHERE bucket = ?", key);
    }

    @Override
    public int purgeExpired(Instant now) {
        return sql.update("DELETE FROM rate_limits WHERE expires_at <= ?", now);
    }

    private int read(String key, long windowMs, Instant start) {
        return sql.queryOne("SELECT hits FROM rate_limits WHERE bucket = ? AND window_ms = ? AND window_start = ?",
                row -> row.integer("hits"), key, windowMs, start).orElse(0);
    }

    // Windows align to the epoch, so every instance computes the same start for the same instant.
    private static Instant windowStart(long windowMs, Instant now) {
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), windowMs) * windowMs);
    }

    private static long requirePositive(Duration window) {
        long ms = window.toMillis();
        if (ms <= 0) {
            throw new IllegalArgumentException("rate limit window must be at least one millisecond");
        }
        return ms;
    }
}
