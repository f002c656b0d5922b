/**
 * Cryptographic adapters: password hashing (Argon2id via Bouncy Castle).
 *
 * <p>Depends on: application.port, Bouncy Castle, JDK.
 */
package dev.tessera.server.infrastructure.crypto;
