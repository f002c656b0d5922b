package dev.tessera.server.application.port;

/**
 * The store cannot be reached right now (database down, restarting, or unreachable over the network). A store
 * throws this instead of a generic failure so the request can be answered {@code temporarily_unavailable} (503,
 * {@code Retry-After}) rather than as a server error: nothing was written, and the same request may succeed
 * once the database is back. The message names the cause for the log, never bound values.
 */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
