package dev.tessera.resourceserver;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Finds the one bearer token of a request (RFC 6750 §2.1 header, optionally §2.2 form body).
 * Tokens in the URI query (§2.3) are never read: they end up in logs and Referer headers.
 */
public final class BearerTokenReader {
    /** RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    /** Far above any real token; stops pathological inputs before parsing or hashing. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private BearerTokenReader() {
    }

    /** Reads the token from the Authorization header values only. */
    public static String fromHeaders(List<String> authorizationHeaders) throws TokenValidationException {
        return read(authorizationHeaders, List.of());
    }

    /**
     * @param authorizationHeaders every {@code Authorization} header value of the request
     * @param formBodyTokens every {@code access_token} value of an application/x-www-form-urlencoded body,
     *                       or an empty list when form-body tokens are not accepted
     */
    public static String read(List<String> authorizationHeaders, List<String> formBodyTokens) throws TokenValidationException {
        if (authorizationHeaders.size() > 1) {
            throw TokenValidationException.invalidRequest("more than one Authorization header");
        }
        if (formBodyTokens.size() > 1) {
            throw TokenValidationException.invalidRequest("more than one access_token parameter");
        }
        String fromHeader = authorizationHeaders.isEmpty() ? null : bearerCredentials(authorizationHeaders.get(0));
        String fromBody = formBodyTokens.isEmpty() ? null : formBodyTokens.get(0);
        if (fromHeader != null && fromBody != null) {
            // RFC 6750 §3.1: more than one method to include the access token
            throw TokenValidationException.invalidRequest("the access token was sent by more than one method");
        }
        String token = fromHeader != null ? fromHeader : fromBody;
        if (token == null) {
            throw TokenValidationException.missingToken();
        }
        return requireB64Token(token);
    }

    /** Null for another scheme (e.g. Basic): that request carries no bearer credentials at all. */
    private static String bearerCredentials(String header) throws TokenValidationException {
        String value = header.strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) { // RFC 7235 §2.1: scheme is case-insensitive
            return null;
        }
        if (space < 0) {
            throw TokenValidationException.invalidRequest("the Bearer authorization header has no token");
        }
        return value.substring(space + 1).stripLeading();
    }

    private static String requireB64Token(String token) throws TokenValidationException {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw TokenValidationException.invalidRequest("the access token is too long");
        }
        if (!B64TOKEN.matcher(token).matches()) {
            throw TokenValidationException.invalidRequest("the access token is not a valid b64token");
        }
        return token;
    }
}
