package dev.tessera.server.application.authorize;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds how many password checks run at once. Each Argon2id check allocates about 19 MiB and keeps a core
 * busy, so a few hundred concurrent sign-ins could exhaust the heap; beyond the bound a check waits briefly
 * for a free slot and is then turned away, and the person is asked to try again.
 */
public final class PasswordCheckLimiter {
    private static final long BYTES_PER_CHECK = 19L * 1024 * 1024;
    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(3);

    private final Semaphore slots;
    private final Duration maxWait;

    public PasswordCheckLimiter(int concurrentChecks, Duration maxWait) {
        if (concurrentChecks < 1) {
            throw new IllegalArgumentException("at least one password check must be able to run");
        }
        this.slots = new Semaphore(concurrentChecks, true);
        this.maxWait = maxWait;
    }

    /**
     * One check per core (more only queue for CPU), and never more than a quarter of the heap can hold, so
     * hashing cannot starve the rest of the server of memory.
     */
    public static PasswordCheckLimiter forThisMachine() {
        int cores = Runtime.getRuntime().availableProcessors();
        long byMemory = Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_CHECK;
        return new PasswordCheckLimiter((int) Math.max(1, Math.min(Math.max(2, cores), byMemory)), DEFAULT_MAX_WAIT);
    }

    /** Runs {@code check} in a free slot; empty when none freed up within the wait. */
    public <T> Optional<T> run(Supplier<T> check) {
        try {
            if (!slots.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            return Optional.of(check.get());
        } finally {
            slots.release();
        }
    }
}
