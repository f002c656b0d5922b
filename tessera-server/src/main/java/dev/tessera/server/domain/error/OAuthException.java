package dev.tessera.server.domain.error;

/**
 * Ends a request with an OAuth error. The description is shown to the client, so it must be
 * actionable and stay inside the RFC 6749 §5.2 character set; the detail is for the log only.
 */
public final class OAuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final OAuthError error;
    private final String description;
    private final String detail;

    public OAuthException(OAuthError error, String description) {
        this(error, description, null);
    }

    public OAuthException(OAuthError error, String description, String detail) {
        super(error.code() + ": " + description, null, false, false);
        this.error = error;
        this.description = requireSafeDescription(description);
        this.detail = detail;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuthError.INVALID_GRANT, description);
    }

    /**
     * A client-supplied parameter name made fit for a description: characters outside a conservative set
     * become '?', and long names are cut, so a hostile name can neither break RFC 6749 §5.2 nor flood logs.
     */
    public static String safeParameterName(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_.:-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "..." : cleaned;
    }

    /** invalid_request naming a parameter that was sent more than once. */
    public static OAuthException repeatedParameter(String name) {
        return invalidRequest("the " + safeParameterName(name) + " parameter was sent more than once");
    }

    public OAuthError error() {
        return error;
    }

    public String description() {
        return description;
    }

    /** Private context for the log; never sent to the client. May be null. */
    public String detail() {
        return detail;
    }

    // RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E (no '"' and no '\').
    static String requireSafeDescription(String description) {
        if (description == null || description.isEmpty()) {
            throw new IllegalArgumentException("an OAuth error needs a description");
        }
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                throw new IllegalArgumentException("error_description has a character outside RFC 6749 5.2: " + description);
            }
        }
        return description;
    }
}
