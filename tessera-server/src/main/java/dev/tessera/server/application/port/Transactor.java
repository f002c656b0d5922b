package dev.tessera.server.application.port;

import java.util.function.Supplier;

/** Runs work in one database transaction; nested calls join the outer one. An exception rolls back. */
public interface Transactor {
    <T> T inTransaction(Supplier<T> work);
}
