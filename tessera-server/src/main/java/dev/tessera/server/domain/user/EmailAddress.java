package dev.tessera.server.domain.user;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The syntax check for an email address typed at sign-up: the WHATWG HTML "valid e-mail address" production
 * (what {@code <input type="email">} accepts), at most 254 characters (RFC 5321 §4.5.3.1.3 path limit less the
 * brackets). It says nothing about whether the address exists, so registered addresses are
 * {@code email_verified: false}.
 */
public final class EmailAddress {
    public static final int MAX_LENGTH = 254;
    private static final Pattern VALID = Pattern.compile(
            "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*");

    private EmailAddress() {
    }

    /** What is wrong with {@code candidate}, in words for the sign-up page; empty when nothing. */
    public static Optional<String> problem(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return Optional.of("Enter your email address.");
        }
        if (candidate.length() > MAX_LENGTH) {
            return Optional.of("An email address can have at most " + MAX_LENGTH + " characters.");
        }
        if (!VALID.matcher(candidate).matches()) {
            return Optional.of("Enter an email address like name@example.com.");
        }
        return Optional.empty();
    }
}
