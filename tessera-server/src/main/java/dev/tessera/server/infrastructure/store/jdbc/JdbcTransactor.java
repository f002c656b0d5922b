package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.Transactor;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Binds one connection to the current thread for the length of a transaction, so every store called
 * inside {@link #inTransaction} uses it and nested calls join the outer transaction. Outside a
 * transaction a store borrows a pooled connection in auto-commit mode for each statement group.
 *
 * <p>Connections come through an {@link OutageGate}: while the database is unreachable a store throws
 * {@link dev.tessera.server.application.port.StoreUnavailableException} at once instead of waiting for the pool. A
 * transaction cut off by the outage is rolled back by the database, so it is all or nothing.
 *
 * <p>Hazard: the binding is per thread, so work handed to another thread inside a transaction runs
 * outside it.
 */
public final class JdbcTransactor implements Transactor {
    // A round trip that takes longer than this counts as "not reachable" for readiness.
    private static final int PROBE_TIMEOUT_SECONDS = 1;

    private final OutageGate gate;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    public JdbcTransactor(DataSource dataSource) {
        this.gate = OutageGate.over(dataSource);
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (bound.get() != null) {
            return work.get(); // join the outer transaction
        }
        try (Connection connection = gate.borrow()) {
            connection.setAutoCommit(false);
            bound.set(connection);
            try {
                T result = work.get();
                connection.commit();
                return result;
            } catch (RuntimeException | Error | SQLException e) {
                // also on a failed commit, so restoring auto-commit below cannot commit a partial transaction
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                bound.remove();
                restoreAutoCommit(connection);
            }
        } catch (SQLException e) {
            throw StorageException.of("transaction failed", e);
        }
    }

    /** Runs {@code work} on the transaction's connection, or on a pooled auto-commit one when none is open. */
    <T> T withConnection(ConnectionWork<T> work) throws SQLException {
        Connection connection = bound.get();
        if (connection != null) {
            return work.apply(connection);
        }
        try (Connection pooled = gate.borrow()) {
            return work.apply(pooled);
        }
    }

    /**
     * Whether the database answers a round trip now (readiness): a connection within the pool's wait, then
     * {@link Connection#isValid} within a second. False at once while the gate knows the database is down.
     */
    public boolean reachable() {
        try (Connection connection = gate.borrow()) {
            return connection.isValid(PROBE_TIMEOUT_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    // The pool resets auto-commit too, but a plain DataSource would hand out a connection left in a transaction.
    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a broken connection is discarded by the pool when closed
        }
    }

    @FunctionalInterface
    interface ConnectionWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
