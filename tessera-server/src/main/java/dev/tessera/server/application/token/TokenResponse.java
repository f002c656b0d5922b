package dev.tessera.server.application.token;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON members of a successful token response (RFC 6749 §5.1, RFC 8693 §2.2.1), in output order. */
public record TokenResponse(Map<String, Object> members) {
    public TokenResponse {
        members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    public String accessToken() {
        return (String) members.get("access_token");
    }

    @Override
    public String toString() {
        return "TokenResponse" + members.keySet();
    }
}
