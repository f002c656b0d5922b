package dev.tessera.server.http.endpoint;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CachedCheckTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicBoolean healthy = new AtomicBoolean(true);
    private final CachedCheck check = new CachedCheck(() -> {
        runs.incrementAndGet();
        return healthy.get();
    }, Duration.ofSeconds(1), nanos::get);

    @Test
    void probesWithinTheFreshnessWindowShareOneCheck() {
        for (int i = 0; i < 50; i++) {
            assertThat(check.getAsBoolean()).isTrue();
        }

        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void aStaleAnswerIsCheckedAgainSoAnOutageShowsWithinTheWindow() {
        assertThat(check.getAsBoolean()).isTrue();
        healthy.set(false);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(check.getAsBoolean()).isFalse();
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void aCheckThatThrowsCountsAsNotReady() {
        CachedCheck failing = new CachedCheck(() -> {
            throw new IllegalStateException("pool closed");
        }, Duration.ofSeconds(1), nanos::get);

        assertThat(failing.getAsBoolean()).isFalse();
    }
}
