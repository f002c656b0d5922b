package dev.tessera.server.application.clientauth;

import dev.tessera.server.application.port.RateLimitStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client authentication throttle reads the store once per second for a client without failures, and every
 * time once this instance saw a failure or the store holds any: the hot path is spared a read without letting a
 * guesser past the limit.
 */
class ClientAuthThrottleTest {
    private final CountingRateLimits store = new CountingRateLimits();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ClientAuthThrottle throttle = new ClientAuthThrottle(store,
            Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC), nanos::get);

    @Test
    void aClientWithoutFailuresIsReadOncePerSecond() {
        assertThat(throttle.isThrottled("web")).isFalse();
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(throttle.isThrottled("web")).isFalse();
        assertThat(store.reads).isEqualTo(1);

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(throttle.isThrottled("web")).isFalse();
        assertThat(store.reads).isEqualTo(2);
    }

    @Test
    void aFailureHereMakesEveryLaterCheckReadTheStoreUntilItIsClearAgain() {
        throttle.isThrottled("web");
        for (int i = 0; i < ClientAuthThrottle.MAX_FAILURES; i++) {
            throttle.recordFailure("web");
            throttle.isThrottled("web");
        }

        assertThat(store.reads).isEqualTo(1 + ClientAuthThrottle.MAX_FAILURES);
        assertThat(throttle.isThrottled("web")).isTrue();
    }

    @Test
    void failuresCountedByAnotherInstanceAreSeenWithinASecond() {
        assertThat(throttle.isThrottled("web")).isFalse();
        store.counts.put("client_auth:web", ClientAuthThrottle.MAX_FAILURES); // another instance's failures

        nanos.addAndGet(Duration.ofMillis(1000).toNanos());

        assertThat(throttle.isThrottled("web")).isTrue();
    }

    @Test
    void aClientWithSomeFailuresIsReadEveryTime() {
        store.counts.put("client_auth:web", 3);

        throttle.isThrottled("web");
        throttle.isThrottled("web");

        assertThat(store.reads).isEqualTo(2);
    }

    @Test
    void clientsAreCachedEachOnTheirOwn() {
        throttle.isThrottled("web");
        store.counts.put("client_auth:other", ClientAuthThrottle.MAX_FAILURES);

        assertThat(throttle.isThrottled("other")).isTrue();
        assertThat(throttle.isThrottled("web")).isFalse();
    }

    /** Counts reads; hit increments like the real store (window ignored: the tests stay within it). */
    private static final class CountingRateLimits implements RateLimitStore {
        final Map<String, Integer> counts = new HashMap<>();
        int reads;

        @Override
        public int hit(String key, Duration window, Instant now) {
            return counts.merge(key, 1, Integer::sum);
        }

        @Override
        public int count(String key, Duration window, Instant now) {
            reads++;
            return counts.getOrDefault(key, 0);
        }

        @Override
        public void reset(String key) {
            counts.remove(key);
        }

        @Override
        public Attempt attempt(String key, Backoff backoff, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void forgive(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int purgeExpired(Instant now) {
            return 0;
        }
    }
}
