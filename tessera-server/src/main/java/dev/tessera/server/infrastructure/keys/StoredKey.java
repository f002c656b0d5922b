package dev.tessera.server.infrastructure.keys;

import dev.tessera.server.application.keys.SigningKey;

import java.nio.file.Path;

/**
 * A key as found on disk: its file, the key, and whether its activation time came from the sidecar or from
 * the file's last-modified time.
 */
public record StoredKey(Path file, SigningKey key, boolean activationFromSidecar) {
}
