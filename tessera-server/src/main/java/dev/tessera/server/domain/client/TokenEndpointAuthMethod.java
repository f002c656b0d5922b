package dev.tessera.server.domain.client;

import java.util.Locale;
import java.util.Optional;

/** How a client proves its identity at the token endpoint (RFC 7591 §2 names). */
public enum TokenEndpointAuthMethod {
    CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT, NONE;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TokenEndpointAuthMethod> fromValue(String value) {
        for (TokenEndpointAuthMethod method : values()) {
            if (method.value().equals(value)) {
                return Optional.of(method);
            }
        }
        return Optional.empty();
    }
}
