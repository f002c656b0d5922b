package dev.tessera.server.domain.error;

/** The error codes of RFC 6749 §5.2, §4.1.2.1, RFC 6750 §3.1, RFC 8707 and OIDC Core §3.1.2.6, with their HTTP status. */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    INVALID_TARGET("invalid_target", 400),
    ACCESS_DENIED("access_denied", 400),
    LOGIN_REQUIRED("login_required", 400),
    CONSENT_REQUIRED("consent_required", 400),
    INTERACTION_REQUIRED("interaction_required", 400),
    /** OpenID Connect Core Error Code unmet_authentication_requirements 1.0: an essential acr cannot be met. */
    UNMET_AUTHENTICATION_REQUIREMENTS("unmet_authentication_requirements", 400),
    REQUEST_NOT_SUPPORTED("request_not_supported", 400),
    REQUEST_URI_NOT_SUPPORTED("request_uri_not_supported", 400),
    INVALID_TOKEN("invalid_token", 401),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
    SERVER_ERROR("server_error", 500);

    private final String code;
    private final int httpStatus;

    OAuthError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
