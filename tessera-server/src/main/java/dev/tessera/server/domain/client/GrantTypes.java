package dev.tessera.server.domain.client;

/** The grant_type values Tessera knows (RFC 6749, RFC 8693, RFC 7523). */
public final class GrantTypes {
    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static final java.util.Set<String> ALL = java.util.Set.of(
            AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS, TOKEN_EXCHANGE, JWT_BEARER);

    private GrantTypes() {
    }
}
