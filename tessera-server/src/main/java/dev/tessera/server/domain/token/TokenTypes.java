package dev.tessera.server.domain.token;

import java.util.Set;

/** The token type URIs of RFC 8693 §3 and the ID-JAG draft, as they appear in token-exchange requests. */
public final class TokenTypes {
    public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    public static final String REFRESH_TOKEN = "urn:ietf:params:oauth:token-type:refresh_token";
    public static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    public static final String ID_JAG = "urn:ietf:params:oauth:token-type:id-jag";

    /** What Tessera can mint by exchange; id_token and refresh_token are only ever subjects. */
    public static final Set<String> ISSUABLE = Set.of(ACCESS_TOKEN, ID_JAG);

    private TokenTypes() {
    }
}
