package dev.tessera.server.application.port;

import java.time.Duration;
import java.time.Instant;

/** Fixed-window counters shared by every instance, for login throttling. */
public interface RateLimitStore {
    /** Adds one hit to {@code key}'s current window and returns the count in that window, this hit included. */
    int hit(String key, Duration window, Instant now);

    /** The count in {@code key}'s current window without adding a hit. */
    int count(String key, Duration window, Instant now);

    void reset(String key);

    int purgeExpired(Instant now);
}
