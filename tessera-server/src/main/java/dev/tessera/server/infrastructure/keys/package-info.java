/**
 * The key directory adapter: reading PEM keys and their {@code <name>.json} sidecars
 * ({@link dev.tessera.server.infrastructure.keys.KeyDirectory}), serving and reloading the ring
 * ({@link dev.tessera.server.infrastructure.keys.FileKeyRingSource}), and writing new keys for the CLI and
 * {@code serve --dev} ({@link dev.tessera.server.infrastructure.keys.KeyFileWriter}).
 * Depends on: application.keys, application.port, Nimbus JOSE+JWT, Bouncy Castle (bcpkix), SLF4J, JDK.
 */
package dev.tessera.server.infrastructure.keys;
