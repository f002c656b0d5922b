package dev.tessera.server.application.port;

import java.time.Instant;

/**
 * Random keys that every instance must hold alike (the CSRF token key), kept in the shared store so that no
 * operator has to configure and distribute them.
 */
public interface ServerSecretStore {
    /**
     * The secret stored under {@code name}; when there is none yet, {@code candidate} becomes it. However many
     * instances call this at once, each gets the one secret that was stored first.
     */
    byte[] getOrCreate(String name, byte[] candidate, Instant now);
}
