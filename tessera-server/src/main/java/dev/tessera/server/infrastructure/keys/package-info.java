/**
 * The key directory adapter: reading PEM keys and their {@code <name>.json} sidecars
 * ({@link dev.tessera.server.infrastructure.keys.KeyDirectory}), serving and reloading the ring
 * ({@link dev.tessera.server.infrastructure.keys.FileKeyRingSource}), and writing new keys for the CLI and
 * {@code serve --dev} ({@link dev.tessera.server.infrastructure.keys.KeyFileWriter}); for {@code keys.source: store},
 * the key-encryption key that seals private keys ({@link dev.tessera.server.infrastructure.keys.KeyEncryptionKey}) and
 * the ring reloaded from the database ({@link dev.tessera.server.infrastructure.keys.StoreKeyRingSource}).
 * Depends on: application.keys, application.port, Nimbus JOSE+JWT, Bouncy Castle (bcpkix), SLF4J, JDK.
 */
package dev.tessera.server.infrastructure.keys;
