package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.RateLimitStore;
import dev.tessera.server.application.port.RateLimitStore.Attempt;
import dev.tessera.server.application.port.RateLimitStore.Backoff;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public interface RateLimitStoreContract extends StoreFixture {
    Duration MINUTE = Duration.ofMinutes(1);
    /** Three attempts free, then 1s, 2s, 4s, ... up to 10s; forgotten 15 minutes after the last attempt. */
    Backoff BACKOFF = new Backoff(3, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(15));

    private RateLimitStore limits() {
        return stores().rateLimits();
    }

    @Test
    default void hitsCountUpWithinAWindow() {
        assertThat(limits().hit("login:alice", MINUTE, clock().instant())).isEqualTo(1);
        clock().advance(Duration.ofSeconds(10));
        assertThat(limits().hit("login:alice", MINUTE, clock().instant())).isEqualTo(2);
        assertThat(limits().hit("login:alice", MINUTE, clock().instant())).isEqualTo(3);
        assertThat(limits().count("login:alice", MINUTE, clock().instant())).isEqualTo(3);
    }

    @Test
    default void countDoesNotAddAHit() {
        limits().hit("login:alice", MINUTE, clock().instant());

        assertThat(limits().count("login:alice", MINUTE, clock().instant())).isEqualTo(1);
        assertThat(limits().count("login:alice", MINUTE, clock().instant())).isEqualTo(1);
        assertThat(limits().count("login:nobody", MINUTE, clock().instant())).isZero();
    }

    @Test
    default void aNewWindowStartsFromOne() {
        Instant start = clock().instant(); // on a minute boundary
        limits().hit("login:alice", MINUTE, start);
        limits().hit("login:alice", MINUTE, start.plusSeconds(59));

        assertThat(limits().hit("login:alice", MINUTE, start.plusSeconds(60))).isEqualTo(1);
        assertThat(limits().count("login:alice", MINUTE, start.plusSeconds(61))).isEqualTo(1);
    }

    @Test
    default void keysAndWindowLengthsCountSeparately() {
        limits().hit("login:alice", MINUTE, clock().instant());
        limits().hit("login:alice", MINUTE, clock().instant());

        assertThat(limits().hit("login:bob", MINUTE, clock().instant())).isEqualTo(1);
        assertThat(limits().hit("login:alice", Duration.ofHours(1), clock().instant())).isEqualTo(1);
    }

    @Test
    default void resetClearsEveryWindowOfTheKey() {
        limits().hit("login:alice", MINUTE, clock().instant());
        limits().hit("login:alice", Duration.ofHours(1), clock().instant());
        limits().hit("login:bob", MINUTE, clock().instant());

        limits().reset("login:alice");

        assertThat(limits().count("login:alice", MINUTE, clock().instant())).isZero();
        assertThat(limits().count("login:alice", Duration.ofHours(1), clock().instant())).isZero();
        assertThat(limits().count("login:bob", MINUTE, clock().instant())).isEqualTo(1);
    }

    @Test
    default void concurrentHitsAreAllCounted() throws Exception {
        Instant now = clock().instant();

        List<Integer> counts = Concurrently.run(16, () -> limits().hit("login:alice", MINUTE, now));

        assertThat(counts).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 16).boxed().toList());
        assertThat(limits().count("login:alice", MINUTE, now)).isEqualTo(16);
    }

    @Test
    default void zeroLengthWindowIsRejected() {
        assertThatThrownBy(() -> limits().hit("login:alice", Duration.ZERO, clock().instant()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- attempts with a growing wait -----------------------------------------------------------

    private Attempt attempt(String key) {
        return limits().attempt(key, BACKOFF, clock().instant());
    }

    @Test
    default void theFreeAttemptsAreAllowedAndCountedOneByOne() {
        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Allowed(1));
        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Allowed(2));
        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Allowed(3));
    }

    @Test
    default void afterTheFreeAttemptsEachNextAttemptWaitsTwiceAsLongUpToTheMaximum() {
        for (int i = 0; i < 3; i++) {
            attempt("login:user:alice");
        }
        List<Duration> waits = new java.util.ArrayList<>();
        for (int round = 0; round < 6; round++) {
            Attempt refused = attempt("login:user:alice");
            assertThat(refused).isInstanceOf(Attempt.Wait.class);
            Duration wait = ((Attempt.Wait) refused).retryAfter();
            waits.add(wait);
            clock().advance(wait);
            assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Allowed(4 + round));
        }

        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    default void attemptsRefusedWhileWaitingAreNotCountedAndTheWaitCountsDown() {
        for (int i = 0; i < 3; i++) {
            attempt("login:user:alice");
        }
        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Wait(Duration.ofSeconds(1)));
        clock().advance(Duration.ofMillis(400));
        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Wait(Duration.ofMillis(600)));
        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Wait(Duration.ofMillis(600)));

        clock().advance(Duration.ofMillis(600));
        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Allowed(4));
    }

    @Test
    default void attemptsAreForgottenAfterAQuietPeriod() {
        for (int i = 0; i < 5; i++) {
            clock().advance(Duration.ofSeconds(10));
            attempt("login:user:alice");
        }
        clock().advance(BACKOFF.forgetAfter());

        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Allowed(1));
    }

    @Test
    default void attemptsOfDifferentKeysAreCountedApart() {
        for (int i = 0; i < 3; i++) {
            attempt("login:user:alice");
        }

        assertThat(attempt("login:user:alice")).isInstanceOf(Attempt.Wait.class);
        assertThat(attempt("login:user:bob")).isEqualTo(new Attempt.Allowed(1));
    }

    @Test
    default void resetForgetsTheAttemptsAndForgiveTakesBackOne() {
        for (int i = 0; i < 3; i++) {
            attempt("login:user:alice");
            attempt("login:addr:192.0.2.1");
        }

        limits().reset("login:user:alice");
        limits().forgive("login:addr:192.0.2.1");
        limits().forgive("login:addr:nobody");

        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Allowed(1));
        // the wait that the third attempt started still holds; the count behind it is one lower
        clock().advance(Duration.ofSeconds(1));
        assertThat(attempt("login:addr:192.0.2.1")).isEqualTo(new Attempt.Allowed(3));
    }

    @Test
    default void thirtyConcurrentAttemptsGetExactlyTheFreeOnesAndTheRestWait() throws Exception {
        Instant now = clock().instant();

        List<Attempt> results = Concurrently.run(30, () -> limits().attempt("login:user:alice", BACKOFF, now));

        assertThat(results).filteredOn(Attempt.Allowed.class::isInstance)
                .containsExactlyInAnyOrder(new Attempt.Allowed(1), new Attempt.Allowed(2), new Attempt.Allowed(3));
        assertThat(results).filteredOn(Attempt.Wait.class::isInstance).hasSize(27)
                .allSatisfy(wait -> assertThat(wait).isEqualTo(new Attempt.Wait(Duration.ofSeconds(1))));
    }

    @Test
    default void purgeRemovesForgottenAttempts() {
        attempt("login:user:alice");
        clock().advance(BACKOFF.forgetAfter());

        assertThat(limits().purgeExpired(clock().instant())).isEqualTo(1);
        assertThat(attempt("login:user:alice")).isEqualTo(new Attempt.Allowed(1));
    }
}
