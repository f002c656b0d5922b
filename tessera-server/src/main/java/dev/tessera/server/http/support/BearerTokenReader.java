package dev.tessera.server.http.support;

import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** RFC 6750 §2.1 (header) and §2.2 (form body); using both at once is invalid_request (§2). */
public final class BearerTokenReader {
    // RFC 6750 §2.1: b64token
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private BearerTokenReader() {
    }

    /** The token, or null when none was sent (the caller answers 401 without an error code, RFC 6750 §3.1). */
    public static String read(String authorizationHeader, Map<String, List<String>> form) {
        List<String> fromBody = form.getOrDefault("access_token", List.of());
        if (fromBody.size() > 1) {
            throw OAuthException.invalidRequest("access_token was sent more than once");
        }
        String header = null;
        if (authorizationHeader != null && !authorizationHeader.isBlank()) {
            if (!authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new OAuthException(OAuthError.INVALID_TOKEN, "the Authorization header must use the Bearer scheme");
            }
            header = authorizationHeader.substring(7).trim();
            if (!B64TOKEN.matcher(header).matches()) {
                throw new OAuthException(OAuthError.INVALID_TOKEN, "the bearer token is malformed");
            }
        }
        if (header != null && !fromBody.isEmpty()) {
            throw OAuthException.invalidRequest("send the access token in the Authorization header or the body, not both");
        }
        if (header != null) {
            return header;
        }
        return fromBody.isEmpty() || fromBody.get(0).isEmpty() ? null : fromBody.get(0);
    }
}
