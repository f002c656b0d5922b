package dev.tessera.server.application.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Counters shared by every instance: fixed windows ({@link #hit}, {@link #count}) and attempts with a growing
 * wait ({@link #attempt}), which login throttling uses because it counts before the costly check.
 */
public interface RateLimitStore {
    /** Adds one hit to {@code key}'s current window and returns the count in that window, this hit included. */
    int hit(String key, Duration window, Instant now);

    /** The count in {@code key}'s current window without adding a hit. */
    int count(String key, Duration window, Instant now);

    /** Forgets every window and every attempt of {@code key}. */
    void reset(String key);

    /**
     * Atomically, across instances: unless {@code key} must still wait, counts one attempt and starts the wait
     * that {@code backoff} sets after it. An attempt refused with {@link Attempt.Wait} is not counted, so
     * hammering does not lengthen the wait; the attempts are forgotten {@code backoff.forgetAfter()} after the
     * last counted one. However many callers race, at most one is counted per free slot or elapsed wait.
     */
    Attempt attempt(String key, Backoff backoff, Instant now);

    /** Takes back one counted attempt of {@code key} (one that turned out legitimate); the current wait stays. */
    void forgive(String key);

    int purgeExpired(Instant now);

    sealed interface Attempt {
        /** Counted; {@code attempts} includes this one. */
        record Allowed(int attempts) implements Attempt { }

        /** Not counted: try again after {@code retryAfter}. */
        record Wait(Duration retryAfter) implements Attempt { }
    }

    /**
     * {@code freeAttempts} go without a wait; each later one waits {@code firstWait}, doubling every time, at most
     * {@code maxWait}. A growing wait rather than a lock, so an attacker cannot lock an account out for good.
     */
    record Backoff(int freeAttempts, Duration firstWait, Duration maxWait, Duration forgetAfter) {
        public Backoff {
            Objects.requireNonNull(firstWait, "firstWait");
            Objects.requireNonNull(maxWait, "maxWait");
            Objects.requireNonNull(forgetAfter, "forgetAfter");
            if (freeAttempts < 1 || firstWait.isNegative() || firstWait.isZero() || maxWait.compareTo(firstWait) < 0
                    || forgetAfter.compareTo(maxWait) < 0) {
                throw new IllegalArgumentException("a backoff needs a free attempt, 0 < firstWait <= maxWait <= forgetAfter");
            }
        }

        /** The wait that follows the {@code attempts}-th counted attempt. */
        public Duration waitAfter(int attempts) {
            if (attempts < freeAttempts) {
                return Duration.ZERO;
            }
            int doublings = Math.min(attempts - freeAttempts, 30);
            Duration wait = firstWait.multipliedBy(1L << doublings);
            return wait.compareTo(maxWait) > 0 ? maxWait : wait;
        }
    }
}
