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
 * <p>Hazard: the binding is per thread, so work handed to another thread inside a transaction runs
 * outside it.
 */
public final class JdbcTransactor implements Transactor {
    private final DataSource dataSource;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    public JdbcTransactor(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (bound.get() != null) {
            return work.get(); // join the outer transaction
        }
        try (Connection connection = dataSource.getConnection()) {
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
            throw new StorageException("transaction failed", e);
        }
    }

    /** Runs {@code work} on the transaction's connection, or on a pooled auto-commit one when none is open. */
    <T> T withConnection(ConnectionWork<T> work) throws SQLException {
        Connection connection = bound.get();
        if (connection != null) {
            return work.apply(connection);
        }
        try (Connection pooled = dataSource.getConnection()) {
            return work.apply(pooled);
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
