package dev.tessera.server.config;

/**
 * Nested JWE for a client's ID tokens or userinfo answers (OIDC Core §10.2): {@code idTokenEncryption} and
 * {@code userinfoEncryption} share this shape and its rules.
 *
 * @param alg     key management algorithm, e.g. RSA-OAEP-256
 * @param enc     content encryption; defaults to A128CBC-HS256 as in OIDC Dynamic Client Registration §2
 * @param jwksUri where the client publishes its encryption key
 */
public record ResponseEncryptionConfig(String alg, String enc, String jwksUri) {
    public static final String DEFAULT_ENC = "A128CBC-HS256";

    public ResponseEncryptionConfig {
        enc = enc == null ? DEFAULT_ENC : enc;
    }
}
