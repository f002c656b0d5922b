package dev.tessera.server.application.clientauth;

import dev.tessera.server.application.port.RateLimitStore;

import java.time.Clock;
import java.time.Duration;

/**
 * Failed authentications per registered client id, counted in the store so every instance sees the same
 * number. Past the limit the client is refused without checking its secret until the window ends.
 *
 * <p>Hazard: anyone who knows a client id can lock that client out for a window by failing on purpose; the
 * limit is set well above what a misconfigured client reaches by accident and far below what guessing even a
 * short secret needs. Unknown ids are not counted, so they cannot fill the store. Requests already past the
 * check while the limit is reached still get their secret checked: the overshoot is bounded by how many
 * requests run at that moment, not by an attacker's patience.
 */
final class ClientAuthThrottle {
    static final int MAX_FAILURES = 20;
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final String PREFIX = "client_auth:";

    private final RateLimitStore rateLimits;
    private final Clock clock;

    ClientAuthThrottle(RateLimitStore rateLimits, Clock clock) {
        this.rateLimits = rateLimits;
        this.clock = clock;
    }

    boolean isThrottled(String clientId) {
        return rateLimits.count(PREFIX + clientId, WINDOW, clock.instant()) >= MAX_FAILURES;
    }

    void recordFailure(String clientId) {
        rateLimits.hit(PREFIX + clientId, WINDOW, clock.instant()); // one atomic increment in the store
    }
}
