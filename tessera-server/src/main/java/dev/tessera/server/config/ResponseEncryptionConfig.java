package dev.tessera.server.config;

import java.util.List;

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
    /**
     * The only {@code alg} and {@code enc} values a client may register: what the server's response encrypter
     * serves. The validator checks against them and discovery lists them (the composition root hands them over).
     */
    public static final List<String> ALGS = List.of("RSA-OAEP-256", "ECDH-ES", "ECDH-ES+A256KW");
    public static final List<String> ENCS = List.of("A256GCM", "A128GCM", "A128CBC-HS256", "A256CBC-HS512");

    public ResponseEncryptionConfig {
        enc = enc == null ? DEFAULT_ENC : enc;
    }
}
