package dev.tessera.server.http.support;

import dev.tessera.server.application.clientauth.PresentedCredentials;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads client credentials from HTTP Basic (RFC 6749 §2.3.1: form-urlencoded before base64) and the body, including
 * a client assertion (RFC 7521 §4.2).
 */
public final class ClientCredentialsReader {
    private ClientCredentialsReader() {
    }

    public static PresentedCredentials read(String authorizationHeader, Map<String, List<String>> form) {
        String basicId = null;
        String basicSecret = null;
        if (authorizationHeader != null && !authorizationHeader.isBlank()) {
            if (!authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw new OAuthException(OAuthError.INVALID_CLIENT,
                        "the Authorization header must use the Basic scheme for client authentication");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "the Basic credentials are not valid base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new OAuthException(OAuthError.INVALID_CLIENT, "the Basic credentials must be client_id:client_secret");
            }
            try {
                basicId = FormBody.decode(decoded.substring(0, colon));
                basicSecret = FormBody.decode(decoded.substring(colon + 1));
            } catch (OAuthException malformed) {
                // Still a failed authentication (RFC 6749 §5.2), so the client gets the 401 and the challenge.
                throw new OAuthException(OAuthError.INVALID_CLIENT,
                        "the Basic credentials must be form-urlencoded before base64 (RFC 6749 2.3.1)");
            }
        }
        return new PresentedCredentials(basicId, basicSecret, single(form, "client_id"), single(form, "client_secret"),
                single(form, "client_assertion_type"), single(form, "client_assertion"));
    }

    private static String single(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw OAuthException.invalidRequest("the " + name + " parameter was sent more than once");
        }
        return values.get(0).isEmpty() ? null : values.get(0);
    }
}
