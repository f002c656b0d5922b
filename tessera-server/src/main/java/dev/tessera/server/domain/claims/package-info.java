/**
 * The OpenID Connect {@code claims} request parameter (OIDC Core §5.5) and its OpenID Connect for Identity
 * Assurance 1.0 {@code verified_claims} sub-requests: their shape rules, parsed from a JSON tree that the
 * application layer reads.
 * Depends on: the JDK and {@code domain.error}.
 */
package dev.tessera.server.domain.claims;
