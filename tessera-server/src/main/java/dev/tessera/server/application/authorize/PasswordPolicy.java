package dev.tessera.server.application.authorize;

import java.util.Optional;

/**
 * The password rule of {@code passwords.*} as the sign-up page sees it. The composition root hands over the
 * configuration's own rule, so the file, the CLI and registration apply one rule, written once.
 */
public interface PasswordPolicy {
    /** Why this password is not acceptable ("must have at least 12 characters"), empty when it is; never echoes it. */
    Optional<String> problem(CharSequence password);

    /** The shortest acceptable password in characters, for the form's hint and {@code minlength}. */
    int minLength();
}
