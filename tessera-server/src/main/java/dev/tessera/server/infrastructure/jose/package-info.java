/**
 * JOSE adapters that reach outside: fetching clients' public keys (JWKS) with caching and rate limits.
 *
 * <p>Depends on: application.port, Nimbus JOSE+JWT, JDK.
 */
package dev.tessera.server.infrastructure.jose;
