/**
 * Cryptographic adapters: password hashing (Argon2id via Bouncy Castle) and the choice and installation of
 * the JCA provider that signs tokens ({@link dev.tessera.server.infrastructure.crypto.CryptoProviders}).
 *
 * <p>Depends on: application.port, Bouncy Castle, Amazon Corretto Crypto Provider, SLF4J, JDK.
 */
package dev.tessera.server.infrastructure.crypto;
