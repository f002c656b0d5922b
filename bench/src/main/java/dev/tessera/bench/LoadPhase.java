package dev.tessera.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * One timed phase of a load generator (a warm-up or the measured run): the deadline, the shared request budget,
 * and the counts every worker adds to. {@link #run} starts one thread per connection and waits for all of them;
 * connections handed to {@link #watch} are aborted when a worker is still waiting {@link #OVERRUN} after the
 * deadline (their sockets have no read timeout), so a phase always ends.
 */
final class LoadPhase {
    static final Duration OVERRUN = Duration.ofSeconds(15);

    final LongAdder ok = new LongAdder();
    final LongAdder otherStatus = new LongAdder();
    final LongAdder errors = new LongAdder();
    private final long deadline;
    private final AtomicLong budget;
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Set<KeepAliveConnection> watched = ConcurrentHashMap.newKeySet();
    private volatile String firstFailure;
    private double seconds;

    private LoadPhase(long deadline, long budget) {
        this.deadline = deadline;
        this.budget = new AtomicLong(budget);
    }

    /**
     * Runs {@code workers.apply(i)} on {@code connections} threads named {@code threadPrefix-i} until each returns
     * (a worker loops while {@link #goOn}).
     */
    static LoadPhase run(int seconds, long maxRequests, int connections, String threadPrefix,
            java.util.function.Function<LoadPhase, IntFunction<Runnable>> workers) throws InterruptedException {
        long start = System.nanoTime();
        LoadPhase phase = new LoadPhase(start + Duration.ofSeconds(seconds).toNanos(), maxRequests);
        IntFunction<Runnable> worker = workers.apply(phase);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            Thread thread = new Thread(worker.apply(w), threadPrefix + "-" + w);
            threads.add(thread);
            thread.start();
        }
        long giveUp = phase.deadline + OVERRUN.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (giveUp - System.nanoTime()) / 1_000_000));
        }
        if (threads.stream().anyMatch(Thread::isAlive)) {
            phase.failed("a worker was still waiting for an answer " + OVERRUN.toSeconds() + " s after the deadline");
            phase.watched.forEach(KeepAliveConnection::abort);
            for (Thread thread : threads) {
                thread.join();
            }
        }
        phase.seconds = (System.nanoTime() - start) / 1e9;
        return phase;
    }

    /** {@code connection} is aborted if this phase overruns its deadline; returns it. */
    KeepAliveConnection watch(KeepAliveConnection connection) {
        watched.add(connection);
        return connection;
    }

    boolean goOn() {
        return System.nanoTime() < deadline && budget.getAndDecrement() > 0;
    }

    /** An answer other than the one expected: counted by status, the first one kept for the report. */
    void unexpected(int status, String failure) {
        otherStatus.increment();
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        remember(failure);
    }

    /** A request that got no answer. */
    void failed(String failure) {
        errors.increment();
        remember(failure);
    }

    private synchronized void remember(String failure) {
        if (firstFailure == null) {
            firstFailure = failure;
        }
    }

    String firstFailure() {
        return firstFailure;
    }

    double seconds() {
        return seconds;
    }

    Map<Integer, Long> statusCounts() {
        Map<Integer, Long> counts = new HashMap<>();
        statuses.forEach((status, n) -> counts.put(status, n.sum()));
        return counts;
    }
}
