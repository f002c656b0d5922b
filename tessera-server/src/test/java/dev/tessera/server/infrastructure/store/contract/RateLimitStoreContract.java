package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.RateLimitStore;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public interface RateLimitStoreContract extends StoreFixture {
    Duration MINUTE = Duration.ofMinutes(1);

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
}
