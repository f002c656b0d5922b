package dev.tessera.server.http.endpoint;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A health check whose answer is reused for a short while, so probes from a load balancer, Kubernetes and a
 * monitoring system together cost the database at most one round trip per {@code freshFor}. One caller runs the
 * check; callers arriving meanwhile get the previous answer instead of queueing behind it. A check that throws
 * counts as failed.
 */
final class CachedCheck implements BooleanSupplier {
    private final BooleanSupplier check;
    private final long freshForNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock running = new ReentrantLock();
    private volatile Answer last;

    private record Answer(boolean ok, long at) {
    }

    CachedCheck(BooleanSupplier check, Duration freshFor, LongSupplier nanoTime) {
        this.check = check;
        this.freshForNanos = freshFor.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public boolean getAsBoolean() {
        Answer answer = last;
        if (answer != null && nanoTime.getAsLong() - answer.at() < freshForNanos) {
            return answer.ok();
        }
        if (answer != null && !running.tryLock()) {
            return answer.ok(); // someone is checking right now
        }
        if (answer == null) {
            running.lock(); // the very first answer: wait for it rather than guess
        }
        try {
            answer = last;
            if (answer != null && nanoTime.getAsLong() - answer.at() < freshForNanos) {
                return answer.ok();
            }
            boolean ok = run();
            last = new Answer(ok, nanoTime.getAsLong());
            return ok;
        } finally {
            running.unlock();
        }
    }

    private boolean run() {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
