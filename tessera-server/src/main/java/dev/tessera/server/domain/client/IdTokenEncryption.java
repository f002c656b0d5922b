package dev.tessera.server.domain.client;

import java.net.URI;

/** Nested JWE for ID tokens (OIDC Core §10.2): key management alg, content enc and the client's key set. */
public record IdTokenEncryption(String alg, String enc, URI jwksUri) {
}
