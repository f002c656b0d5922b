package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.StoreUnavailableException;

import java.sql.SQLException;

/** A database failure surfaced unchecked; the message names the SQLState and statement, never bound values. */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageException(String message, SQLException cause) {
        super(message + " (SQLState " + cause.getSQLState() + ")", cause);
    }

    /**
     * The exception a store throws for {@code cause}: {@link StoreUnavailableException} when the database could
     * not be reached (the request may be retried), else a {@code StorageException}.
     */
    static RuntimeException of(String message, SQLException cause) {
        if (ConnectionFailures.isUnavailable(cause)) {
            return new StoreUnavailableException("the database is unreachable: " + message + " (SQLState "
                    + cause.getSQLState() + ": " + cause.getMessage() + ")", cause);
        }
        return new StorageException(message, cause);
    }
}
