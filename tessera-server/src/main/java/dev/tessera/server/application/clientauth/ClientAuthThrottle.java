package dev.tessera.server.application.clientauth;

import dev.tessera.server.application.port.RateLimitStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

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

    /**
     * A client with no failure in the store is taken as clear for this long without asking again, sparing the
     * hot path a store read. Any failure here drops the entry, so on this instance a guesser gets past the check
     * unread only with requests already in flight, as the class comment allows; failures at other instances
     * are seen within this time. Keys are registered client ids only (unknown ids never get this far).
     */
    static final Duration CLEAR_FOR = Duration.ofSeconds(1);

    private final RateLimitStore rateLimits;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Map<String, Long> clear = new ConcurrentHashMap<>();

    ClientAuthThrottle(RateLimitStore rateLimits, Clock clock) {
        this(rateLimits, clock, System::nanoTime);
    }

    /** @param nanoTime a monotonic clock for {@link #CLEAR_FOR}; the store's window uses {@code clock} */
    ClientAuthThrottle(RateLimitStore rateLimits, Clock clock, LongSupplier nanoTime) {
        this.rateLimits = rateLimits;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    boolean isThrottled(String clientId) {
        long now = nanoTime.getAsLong();
        Long clearSince = clear.get(clientId);
        if (clearSince != null && now - clearSince < CLEAR_FOR.toNanos()) {
            return false;
        }
        int failures = rateLimits.count(PREFIX + clientId, WINDOW, clock.instant());
        if (failures == 0) {
            clear.put(clientId, now);
        } else {
            clear.remove(clientId);
        }
        return failures >= MAX_FAILURES;
    }

    void recordFailure(String clientId) {
        clear.remove(clientId); // this instance's next request for the client reads the store again
        rateLimits.hit(PREFIX + clientId, WINDOW, clock.instant()); // one atomic increment in the store
    }
}
