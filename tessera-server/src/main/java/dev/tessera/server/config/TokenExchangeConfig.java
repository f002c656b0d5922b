package dev.tessera.server.config;

import java.util.List;
import java.util.Set;

/** RFC 8693 token exchange: the requested_token_type values served; empty disables the grant. */
public record TokenExchangeConfig(List<String> tokenTypes) {
    public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    public static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    public static final String REFRESH_TOKEN = "urn:ietf:params:oauth:token-type:refresh_token";
    public static final String ID_JAG = "urn:ietf:params:oauth:token-type:id-jag";
    /** Every token type Tessera understands, as a subject token or as a requested one. */
    public static final Set<String> KNOWN_TYPES = Set.of(ACCESS_TOKEN, ID_TOKEN, REFRESH_TOKEN, ID_JAG);
    /**
     * The types an exchange may issue, so the only ones {@code tokenTypes} may list: ID and refresh tokens are
     * subject types only, and an exchange never returns a refresh token (SPEC §6).
     */
    public static final Set<String> ISSUABLE_TYPES = Set.of(ACCESS_TOKEN, ID_JAG);

    public TokenExchangeConfig {
        tokenTypes = tokenTypes == null ? List.of() : List.copyOf(tokenTypes);
    }

    public static TokenExchangeConfig defaults() {
        return new TokenExchangeConfig(List.of());
    }

    public boolean enabled() {
        return !tokenTypes.isEmpty();
    }

    public boolean issuesIdJag() {
        return tokenTypes.contains(ID_JAG);
    }
}
