package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.RateLimitStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Fixed-window counters, one row per (key, window length, window start), shared by every instance.
 * The increment is a portable UPDATE-then-INSERT loop inside one transaction: the UPDATE's row lock
 * makes the count read back include exactly this hit. Call {@link #hit} outside any transaction that
 * may roll back (a failed login throws): a hit made inside one is undone with it.
 *
 * <p>Attempts ({@link #attempt}) live in {@code login_throttles}, one row per key. Each is decided by one
 * conditional UPDATE that compares the revision read just before (compare-and-set), so a caller that lost a
 * race reads again and sees the wait the winner started; no lock is held between statements.
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
        sql.update("DELETE FROM login_throttles WHERE bucket = ?", key);
    }

    @Override
    public Attempt attempt(String key, Backoff backoff, Instant now) {
        while (true) {
            Optional<Throttle> row = sql.queryOne("SELECT attempts, not_before, expires_at, revision FROM login_throttles "
                    + "WHERE bucket = ?", JdbcRateLimitStore::throttle, key);
            if (row.isEmpty()) {
                if (sql.insertIgnoringDuplicate("INSERT INTO login_throttles (bucket, attempts, not_before, expires_at, "
                        + "revision) VALUES (?,1,?,?,0)", key, now.plus(backoff.waitAfter(1)), now.plus(backoff.forgetAfter()))) {
                    return new Attempt.Allowed(1);
                }
                continue; // another instance counted the first attempt: read its row
            }
            Throttle current = row.get();
            boolean forgotten = !now.isBefore(current.expiresAt());
            if (!forgotten && now.isBefore(current.notBefore())) {
                return new Attempt.Wait(Duration.between(now, current.notBefore()));
            }
            int attempts = forgotten ? 1 : current.attempts() + 1;
            if (sql.update("UPDATE login_throttles SET attempts = ?, not_before = ?, expires_at = ?, revision = ? "
                            + "WHERE bucket = ? AND revision = ?", attempts, now.plus(backoff.waitAfter(attempts)),
                    now.plus(backoff.forgetAfter()), current.revision() + 1, key, current.revision()) == 1) {
                return new Attempt.Allowed(attempts);
            }
            // lost the compare-and-set to a concurrent attempt: decide again on what it wrote
        }
    }

    @Override
    public void forgive(String key) {
        sql.update("UPDATE login_throttles SET attempts = attempts - 1, revision = revision + 1 "
                + "WHERE bucket = ? AND attempts > 0", key);
    }

    @Override
    public int purgeExpired(Instant now) {
        return sql.update("DELETE FROM rate_limits WHERE expires_at <= ?", now)
                + sql.update("DELETE FROM login_throttles WHERE expires_at <= ?", now);
    }

    private record Throttle(int attempts, Instant notBefore, Instant expiresAt, long revision) { }

    private static Throttle throttle(ResultRow row) throws java.sql.SQLException {
        return new Throttle(row.integer("attempts"), row.instant("not_before"), row.instant("expires_at"),
                row.longValue("revision"));
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
