package dev.tessera.server.http.view;

import java.util.Objects;

/** One requested scope as the consent page shows it: plain words first, the raw scope small beside them. */
public record ScopeDescription(String scope, String description) {
    public ScopeDescription {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(description, "description");
    }
}
