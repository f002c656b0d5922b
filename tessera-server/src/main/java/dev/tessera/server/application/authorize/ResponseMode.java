package dev.tessera.server.application.authorize;

import java.util.Optional;

/** How the authorization response reaches the client: query string, or an auto-posted form (OAuth 2.0 Form Post). */
public enum ResponseMode {
    QUERY("query"), FORM_POST("form_post");

    private final String value;

    ResponseMode(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<ResponseMode> fromValue(String value) {
        for (ResponseMode mode : values()) {
            if (mode.value.equals(value)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
