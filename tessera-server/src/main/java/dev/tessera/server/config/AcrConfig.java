package dev.tessera.server.config;

import java.util.List;

/**
 * The authentication context levels (SPEC §2 {@code acr.levels}): exactly two, the first for a password-only
 * sign-in, the second after a second factor (TOTP).
 */
public record AcrConfig(List<String> levels) {
    public static final List<String> DEFAULT_LEVELS = List.of("urn:tessera:acr:pwd", "urn:tessera:acr:mfa");

    public AcrConfig {
        levels = levels == null ? DEFAULT_LEVELS : List.copyOf(levels);
    }

    public static AcrConfig defaults() {
        return new AcrConfig(DEFAULT_LEVELS);
    }
}
