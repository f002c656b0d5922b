/**
 * Cryptographic plumbing for the adapters: the choice and installation of the JCA provider that signs tokens
 * ({@link dev.tessera.server.infrastructure.crypto.CryptoProviders}).
 * Depends on: Amazon Corretto Crypto Provider, SLF4J, JDK.
 */
package dev.tessera.server.infrastructure.crypto;
