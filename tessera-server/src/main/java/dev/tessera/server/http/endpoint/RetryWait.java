package dev.tessera.server.http.endpoint;

import io.javalin.http.Context;

import java.time.Duration;

/** A throttle's wait, told twice: as {@code Retry-After} (RFC 9110 §10.2.3) and in words on the page. */
final class RetryWait {

    private RetryWait() {
    }

    /** Sets {@code Retry-After} to the wait in whole seconds (rounded up, at least 1) and returns "Try again in …." */
    static String announce(Context ctx, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        ctx.header("Retry-After", Long.toString(seconds));
        return "Try again in " + inWords(seconds) + ".";
    }

    /** "1 second", "40 seconds", "3 minutes", with a no-break space so the number stays with its unit. */
    static String inWords(long seconds) {
        if (seconds < 120) {
            return seconds == 1 ? "1\u00A0second" : seconds + "\u00A0seconds";
        }
        return (seconds + 59) / 60 + "\u00A0minutes";
    }
}
