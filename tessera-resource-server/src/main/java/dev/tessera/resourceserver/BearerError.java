package dev.tessera.resourceserver;

import java.util.Optional;

/**
 * Why a protected request was refused, with its RFC 6750 §3.1 error code and HTTP status.
 * {@link #MISSING_TOKEN} has no code on purpose: a request without credentials gets a bare challenge.
 */
public enum BearerError {
    /** No bearer token at all: 401 and a challenge without error attributes (RFC 6750 §3.1). */
    MISSING_TOKEN(null, 401),
    INVALID_REQUEST("invalid_request", 400),
    INVALID_TOKEN("invalid_token", 401),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    /** The keys or the introspection endpoint could not be reached: not the client's fault. */
    VALIDATION_UNAVAILABLE("temporarily_unavailable", 503);

    private final String code;
    private final int httpStatus;

    BearerError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Only the three RFC 6750 codes belong in a WWW-Authenticate challenge. */
    boolean belongsInChallenge() {
        return this == INVALID_REQUEST || this == INVALID_TOKEN || this == INSUFFICIENT_SCOPE;
    }
}
