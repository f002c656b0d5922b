package dev.tessera.server.infrastructure.store.jdbc;

import java.sql.SQLException;

/** A database failure surfaced unchecked; the message names the SQLState and statement, never bound values. */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageException(String message, SQLException cause) {
        super(message + " (SQLState " + cause.getSQLState() + ")", cause);
    }
}
