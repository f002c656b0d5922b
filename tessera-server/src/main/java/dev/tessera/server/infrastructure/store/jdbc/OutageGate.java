package dev.tessera.server.infrastructure.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.tessera.server.application.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Borrows connections, and fails fast while the database is unreachable. Without it every request waits the pool's
 * whole connection timeout during an outage and holds an HTTP thread all that time, so a burst of traffic queues up
 * behind a dead database. Once a borrow has failed for lack of a connection, one borrower at a time, at most once per
 * {@code retryInterval} (or as soon as the pool holds a connection again), tries the pool; every other borrower
 * gets {@link StoreUnavailableException} at once. The pool keeps reconnecting in the background all along, so the
 * first borrow that succeeds opens the gate again.
 *
 * <p>Hazard: only a failure to obtain a connection closes the gate. A statement that fails on a connection the
 * database dropped reports itself unavailable but leaves the gate open: the pool discards that connection, and the
 * next borrow finds out whether the database is really gone.
 */
final class OutageGate {
    private static final Logger LOG = LoggerFactory.getLogger(OutageGate.class);

    private final DataSource dataSource;
    private final long retryIntervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean trying = new AtomicBoolean();
    private volatile boolean down;
    private volatile long downSince;
    private volatile long lastTryEnded;
    private volatile SQLException lastFailure;

    OutageGate(DataSource dataSource, Duration retryInterval, LongSupplier nanoTime) {
        this.dataSource = dataSource;
        this.retryIntervalNanos = retryInterval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** A gate that retries once per the pool's own connection timeout (30 s for a plain data source). */
    static OutageGate over(DataSource dataSource) {
        Duration interval = dataSource instanceof HikariDataSource hikari
                ? Duration.ofMillis(hikari.getConnectionTimeout()) : Duration.ofSeconds(30);
        return new OutageGate(dataSource, interval, System::nanoTime);
    }

    Connection borrow() throws SQLException {
        if (!down) {
            return attempt();
        }
        boolean due = nanoTime.getAsLong() - lastTryEnded >= retryIntervalNanos || poolHasConnections();
        if (!due || !trying.compareAndSet(false, true)) {
            throw new StoreUnavailableException("the database is unreachable (for "
                    + secondsSince(downSince) + " s); answering without waiting for the pool", lastFailure);
        }
        try {
            return attempt();
        } finally {
            lastTryEnded = nanoTime.getAsLong();
            trying.set(false);
        }
    }

    boolean isDown() {
        return down;
    }

    private Connection attempt() throws SQLException {
        try {
            Connection connection = dataSource.getConnection();
            if (down) {
                down = false;
                LOG.info("the database is reachable again after {} s", secondsSince(downSince));
            }
            return connection;
        } catch (SQLException e) {
            if (ConnectionFailures.isUnavailable(e)) {
                lastFailure = e;
                if (!down) {
                    downSince = nanoTime.getAsLong();
                    lastTryEnded = downSince;
                    down = true;
                    // Once per outage, not per request: under load this would otherwise flood the log.
                    LOG.warn("the database is unreachable; requests that need it are answered 503 until it is"
                            + " back (SQLState {}: {})", e.getSQLState(), e.getMessage());
                }
            }
            throw e;
        }
    }

    // The pool reconnects by itself (HikariCP backs off up to 5 s between attempts); a connection in it means the
    // database is back, so there is no reason to wait for the next scheduled try.
    private boolean poolHasConnections() {
        if (dataSource instanceof HikariDataSource hikari) {
            HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
            return pool != null && pool.getIdleConnections() > 0;
        }
        return false;
    }

    private long secondsSince(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong() - nanos);
    }
}
