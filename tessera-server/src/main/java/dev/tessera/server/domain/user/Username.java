package dev.tessera.server.domain.user;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for usernames people choose themselves at sign-up: 3 to 64 lower-case letters, digits, dots, hyphens
 * and underscores, starting and ending with a letter or digit. Lower case only, because sign-in compares names
 * exactly: a name registered as "Alice" would fail for whoever later types "alice". Operators' accounts from
 * the file or the CLI are not bound by it.
 */
public final class Username {
    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9._-]+");
    private static final Pattern ENDS = Pattern.compile("[a-z0-9](.*[a-z0-9])?", Pattern.DOTALL);

    private Username() {
    }

    /** What is wrong with {@code candidate} as a new username, in words for the sign-up page; empty when nothing. */
    public static Optional<String> problem(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return Optional.of("Choose a username.");
        }
        int length = candidate.codePointCount(0, candidate.length());
        if (length < MIN_LENGTH) {
            return Optional.of("A username needs at least " + MIN_LENGTH + " characters.");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("A username can have at most " + MAX_LENGTH + " characters.");
        }
        if (!ALLOWED.matcher(candidate).matches()) {
            String lower = candidate.toLowerCase(Locale.ROOT);
            if (!lower.equals(candidate) && ALLOWED.matcher(lower).matches() && ENDS.matcher(lower).matches()) {
                return Optional.of("Usernames are lower case: try \u201C" + lower + "\u201D.");
            }
            return Optional.of("Use only lower-case letters (a\u2013z), digits, dots, hyphens and underscores.");
        }
        if (!ENDS.matcher(candidate).matches()) {
            return Optional.of("A username must start and end with a letter or a digit.");
        }
        return Optional.empty();
    }
}
