package dev.tessera.server.infrastructure.keys;

/**
 * A key file or key directory that cannot be used. The message names the file and what to do about it; it
 * never contains key material.
 */
public final class KeyFileException extends RuntimeException {
    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
