package dev.tessera.server.infrastructure.audit;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.util.concurrent.atomic.LongAdder;

/**
 * Logback's {@link AsyncAppender} for the audit trail ({@code tessera.audit}, set up by {@link LogConfiguration}), counting what it drops.
 * A request thread only queues the event; one worker thread encodes and writes it. With {@code neverBlock} a full
 * queue drops the event instead of making a token request wait for stdout, and every drop is counted here so
 * /metrics can show it ({@code tessera_audit_events_dropped_total}): a lost audit line is never silent.
 *
 * <p>Configure it with {@code discardingThreshold} 0: logback's default throws INFO events away once the queue is
 * 80% full, and every audit event is INFO.
 */
public class DropCountingAsyncAppender extends AsyncAppender {
    // One logging system per JVM; the metrics registry reads it without knowing which appender instance counts.
    private static final LongAdder DROPPED = new LongAdder();

    /** Audit events dropped because the queue was full, since the JVM started. */
    public static long dropped() {
        return DROPPED.sum();
    }

    /**
     * Only what must be read on the calling thread: its name and the MDC (the request id). Formatting the message
     * is left to the worker: the audit arguments are immutable maps of ids, so formatting later gives the same text.
     */
    @Override
    protected void preprocess(ILoggingEvent event) {
        event.getThreadName();
        event.getMDCPropertyMap();
    }

    /**
     * {@code neverBlock} offers to the queue and ignores a refusal, so this refuses a full queue itself and counts
     * the drop. Two threads racing for the last slot can still lose one event uncounted: the count is a lower
     * bound. (Both calls take the queue's short lock, as logback's own offer does; nothing here waits for I/O.)
     */
    @Override
    protected void put(ILoggingEvent event) {
        if (isNeverBlock() && getRemainingCapacity() == 0) {
            DROPPED.increment();
            return;
        }
        super.put(event);
    }
}
