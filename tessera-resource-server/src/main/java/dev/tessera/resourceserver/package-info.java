/**
 * Validates Tessera access tokens for any Java API: {@link dev.tessera.resourceserver.TokenValidator}
 * checks JWT access tokens (RFC 9068) against the issuer's cached JWKS or opaque tokens by
 * introspection (RFC 7662), and {@link dev.tessera.resourceserver.TokenValidationException} carries
 * the RFC 6750 answer.
 * Depends on: nimbus-jose-jwt and the JDK only (never on tessera-server).
 */
package dev.tessera.resourceserver;
