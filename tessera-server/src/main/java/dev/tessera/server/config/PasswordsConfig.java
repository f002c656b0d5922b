package dev.tessera.server.config;

import java.util.Optional;

/**
 * The password rule that the file, the CLI and registration share (SPEC §2; OWASP ASVS 2.1.1: at least 12
 * characters). Length is counted in Unicode code points, so an emoji is one character, as a person counts it.
 */
public record PasswordsConfig(int minLength) {
    public static final int DEFAULT_MIN_LENGTH = 12;
    /** NIST SP 800-63B §5.1.1.1: never fewer than 8. */
    static final int LOWEST_MIN_LENGTH = 8;
    static final int HIGHEST_MIN_LENGTH = 128;

    public static PasswordsConfig defaults() {
        return new PasswordsConfig(DEFAULT_MIN_LENGTH);
    }

    /** Why this password is not acceptable, or empty when it is; the message never repeats the password. */
    public Optional<String> problem(CharSequence password) {
        if (password.codePoints().count() < minLength) {
            return Optional.of("must have at least " + minLength + " characters");
        }
        return Optional.empty();
    }
}
