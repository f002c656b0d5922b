package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * One line of the consent page about claims asked for beyond the scopes: words first, the raw claim names
 * small beside them, "Required" when the client marked one essential, and the client's own reason if it gave
 * one (shown as the client's words, never as ours).
 *
 * @param purpose null when the client gave none
 */
public record ClaimDescription(String description, String raw, boolean required, String purpose) {
    public ClaimDescription {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(raw, "raw");
    }

    public boolean hasPurpose() {
        return purpose != null && !purpose.isBlank();
    }
}
