package dev.tessera.server.config;

/** @param enabled whether the self-service sign-up page is served */
public record RegistrationConfig(boolean enabled) {
    public static RegistrationConfig defaults() {
        return new RegistrationConfig(false);
    }
}
