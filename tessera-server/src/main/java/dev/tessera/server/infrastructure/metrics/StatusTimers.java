package dev.tessera.server.infrastructure.metrics;

import io.micrometer.core.instrument.Timer;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/** The request timers of one method and route, one per HTTP status, in an array indexed by the status: no boxing. */
final class StatusTimers {
    private static final int SLOTS = 600;

    private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(SLOTS);
    private final IntFunction<Timer> create;

    StatusTimers(IntFunction<Timer> create) {
        this.create = create;
    }

    Timer get(int status) {
        int slot = status > 0 && status < SLOTS ? status : 0;
        Timer timer = byStatus.get(slot);
        if (timer == null) {
            // Registering the same name and tags again returns the registered timer, so a race makes no second one.
            byStatus.compareAndSet(slot, null, create.apply(slot));
            timer = byStatus.get(slot);
        }
        return timer;
    }
}
