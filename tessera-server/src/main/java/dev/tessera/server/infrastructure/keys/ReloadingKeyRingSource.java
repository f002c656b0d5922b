package dev.tessera.server.infrastructure.keys;

import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.port.KeyRingSource;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the key directory and the key store sources share: the ring in service behind a volatile read for the
 * request path, a fingerprint of where the keys come from so that keys are only parsed when it changed, one reload
 * at a time, and a daemon thread that checks on a schedule until {@link #close()}. A change that does not load is
 * reported by the subclass and the previous ring stays in service.
 */
abstract class ReloadingKeyRingSource implements KeyRingSource, AutoCloseable {
    private final Logger log;
    private final Object origin;
    private final Class<? extends RuntimeException> refusal;
    private final boolean retryRefused;
    private final Object reloadLock = new Object();
    private volatile KeyRing ring;
    private String lastFingerprint;
    private ScheduledExecutorService scheduler;

    /**
     * @param log          the subclass's logger, so each source's lines keep their own name
     * @param origin       where the keys come from, for those lines ("the store", the directory)
     * @param refusal      what {@link #loadActiveRing()} throws for keys that are there but do not load
     * @param retryRefused whether a refused change is tried again at every check (true) or only once the source
     *                     changes again (false, so that one broken file is reported once)
     */
    ReloadingKeyRingSource(Logger log, Object origin, Class<? extends RuntimeException> refusal, boolean retryRefused) {
        this.log = log;
        this.origin = origin;
        this.refusal = refusal;
        this.retryRefused = retryRefused;
    }

    /** A fingerprint of the keys' source that changes whenever the keys do; cheap compared with loading them. */
    abstract String fingerprintNow();

    /** The ring, or a {@code refusal} for the operator when there is no usable or no active key. */
    abstract KeyRing loadActiveRing();

    /** A change did not load: {@code problem} is a {@code refusal}; the previous ring is still in service. */
    abstract void refused(RuntimeException problem);

    /** A change loaded and is in service. */
    void loaded() {
    }

    /**
     * True when an unchanged source should be loaded once more although its change was refused: a refusal that
     * time alone lifts (a key that activates later). Asked at every check; answering true uses up that retry.
     */
    boolean dueForRetry() {
        return false;
    }

    /** The first load, on the caller's thread; a {@code refusal} propagates (startup stops with its message). */
    final void loadFirst() {
        String fingerprint = fingerprintNow();
        ring = loadActiveRing();
        lastFingerprint = fingerprint;
        log.info("key ring loaded from {}: {}", origin, describe(ring));
    }

    @Override
    public KeyRing current() {
        return ring;
    }

    /** Reloads when the source changed since the last attempt. True when a new ring is in service. */
    public boolean reloadIfChanged() {
        synchronized (reloadLock) {
            String fingerprint = fingerprintNow();
            if (fingerprint.equals(lastFingerprint) && !dueForRetry()) {
                return false;
            }
            if (!retryRefused) {
                lastFingerprint = fingerprint;
            }
            try {
                KeyRing loaded = loadActiveRing();
                ring = loaded;
                lastFingerprint = fingerprint;
                loaded();
                log.info("key ring reloaded from {}: {}", origin, describe(loaded));
                return true;
            } catch (RuntimeException e) {
                if (!refusal.isInstance(e)) {
                    throw e;
                }
                refused(e);
                return false;
            }
        }
    }

    /** Runs {@code check} every {@code interval} on a daemon thread; false when a schedule runs already. */
    final synchronized boolean schedule(Duration interval, Runnable check) {
        if (scheduler != null) {
            return false;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tessera-key-ring-reload");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(check, millis, millis, TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private static String describe(KeyRing ring) {
        return ring.published().stream().map(k -> k.algorithm() + " " + k.kid() + " from " + k.activatesAt())
                .collect(Collectors.joining(", "));
    }
}
