package dev.tessera.server.http.view;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a token has left, in the words a person reads at a glance: "expires in 15 minutes", "expired 2 minutes
 * ago". Rounded to the unit shown; a no-break space keeps each number with its unit on a narrow screen.
 */
public final class ExpiryWords {
    private ExpiryWords() {
    }

    public static String describe(Instant expiresAt, Instant now) {
        long seconds = Duration.between(now, expiresAt).toSeconds();
        if (seconds == 0) {
            return "expires now";
        }
        return seconds > 0 ? "expires in " + amount(seconds) : "expired " + amount(-seconds) + " ago";
    }

    static String amount(long seconds) {
        if (seconds < 90) {
            return count(seconds, "second");
        }
        long minutes = Math.round(seconds / 60.0);
        if (minutes < 120) {
            return count(minutes, "minute");
        }
        long hours = Math.round(seconds / 3600.0);
        if (hours < 48) {
            return count(hours, "hour");
        }
        return count(Math.round(seconds / 86400.0), "day");
    }

    private static String count(long n, String unit) {
        return n + "\u00A0" + unit + (n == 1 ? "" : "s");
    }
}
