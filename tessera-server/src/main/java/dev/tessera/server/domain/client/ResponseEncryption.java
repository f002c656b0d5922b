package dev.tessera.server.domain.client;

import java.net.URI;

/**
 * Nested JWE for what Tessera signs for a client, ID tokens (OIDC Core §10.2) and userinfo answers
 * (§5.3.2): key management alg, content enc and the client's key set.
 */
public record ResponseEncryption(String alg, String enc, URI jwksUri) {
}
