package dev.tessera.server.application.port;

import dev.tessera.server.application.keys.KeyRing;

/** Supplies the current key ring; implementations may reload it from disk without a restart. */
public interface KeyRingSource {
    KeyRing current();

    /**
     * The ring to verify a token signed with {@code kid}. A source shared by several instances may look for a
     * newer ring first when the current one lacks {@code kid}: another instance may already sign with a key this
     * one has not reloaded yet (a key added with an activation time of now).
     */
    default KeyRing forVerifying(String kid) {
        return current();
    }
}
