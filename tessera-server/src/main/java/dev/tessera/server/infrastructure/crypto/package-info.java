/**
 * Cryptographic adapters: password hashing (Argon2id via Bouncy Castle) and the choice and installation of
 * the JCA provider that signs tokens ({@link dev.tessera.server.infrastructure.crypto.CryptoProviders}), sealing
 * secrets at rest, and the one permission rule for files holding key material ({@link
 * dev.tessera.server.infrastructure.crypto.SecretFilePermissions}).
 *
 * <p>Depends on: application.port, Bouncy Castle, Amazon Corretto Crypto Provider, SLF4J, JDK.
 */
package dev.tessera.server.infrastructure.crypto;
