package dev.tessera.server.application.port;

import dev.tessera.server.application.keys.KeyRing;

/** Supplies the current key ring; implementations may reload it from disk without a restart. */
public interface KeyRingSource {
    KeyRing current();
}
