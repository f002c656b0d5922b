package dev.tessera.resourceserver;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A bearer token was missing, malformed, invalid or lacks a scope. The description goes to the
 * client as {@code error_description}, so it never names keys, URLs or token contents.
 */
public final class TokenValidationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final BearerError error;
    private final String description;
    private final Set<String> requiredScopes;

    private TokenValidationException(BearerError error, String description, Set<String> requiredScopes, Throwable cause) {
        super(error + ": " + description, cause, false, false);
        this.error = error;
        this.description = requireChallengeSafe(description);
        this.requiredScopes = Collections.unmodifiableSet(new LinkedHashSet<>(requiredScopes)); // order kept for the scope attribute
    }

    public static TokenValidationException missingToken() {
        return new TokenValidationException(BearerError.MISSING_TOKEN, "a bearer access token is required", Set.of(), null);
    }

    public static TokenValidationException invalidRequest(String description) {
        return new TokenValidationException(BearerError.INVALID_REQUEST, description, Set.of(), null);
    }

    public static TokenValidationException invalidToken(String description) {
        return new TokenValidationException(BearerError.INVALID_TOKEN, description, Set.of(), null);
    }

    public static TokenValidationException insufficientScope(Collection<String> requiredScopes) {
        return new TokenValidationException(BearerError.INSUFFICIENT_SCOPE, "the access token lacks a required scope",
                new LinkedHashSet<>(requiredScopes), null);
    }

    /** The cause stays server-side (logs, debugger); only the description reaches the client. */
    public static TokenValidationException unavailable(String description, Throwable cause) {
        return new TokenValidationException(BearerError.VALIDATION_UNAVAILABLE, description, Set.of(), cause);
    }

    public BearerError error() {
        return error;
    }

    public String description() {
        return description;
    }

    public int httpStatus() {
        return error.httpStatus();
    }

    public Set<String> requiredScopes() {
        return requiredScopes;
    }

    /** The challenge without a realm. */
    public String wwwAuthenticate() {
        return wwwAuthenticate(null);
    }

    /**
     * The {@code WWW-Authenticate} value, e.g. {@code Bearer realm="api", error="invalid_token",
     * error_description="..."}.
     */
    public String wwwAuthenticate(String realm) {
        StringBuilder header = new StringBuilder("Bearer");
        String separator = " ";
        if (realm != null) {
            header.append(separator).append("realm=\"").append(requireChallengeSafe(realm)).append('"');
            separator = ", ";
        }
        // RFC 6750 §3.1: no error information when the request carried no token at all
        if (error.belongsInChallenge()) {
            header.append(separator).append("error=\"").append(error.code().orElseThrow()).append('"');
            header.append(", error_description=\"").append(description).append('"');
            if (!requiredScopes.isEmpty()) {
                header.append(", scope=\"").append(String.join(" ", requiredScopes)).append('"'); // RFC 6750 §3
            }
        }
        return header.toString();
    }

    /** A small JSON body for the response: {@code {"error":"...","error_description":"..."}}. */
    public String toJson() {
        // descriptions and codes are restricted to printable ASCII without '"' and '\', so no escaping is needed
        return error.code()
                .map(code -> "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}")
                .orElse("{\"error_description\":\"" + description + "\"}");
    }

    /** RFC 6750 §3: error_description and realm are %x20-21 / %x23-5B / %x5D-7E. */
    static String requireChallengeSafe(String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                throw new IllegalArgumentException("not allowed in a Bearer challenge: character at index " + i);
            }
        }
        return value;
    }
}
