/**
 * Adapters that fetch what other parties publish: JWKS (trusted issuers, private_key_jwt clients, clients' encryption
 * keys) with caching and rate limits, and pairwise clients' sector identifier documents. Never follows redirects;
 * short timeouts and size caps throughout.
 *
 * <p>Depends on: application.port, Nimbus JOSE+JWT, JDK.
 */
package dev.tessera.server.infrastructure.jose;
