package dev.tessera.server.infrastructure.keys;

import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.KeyRingSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The key ring read from the key directory, reloaded without a restart. {@link #current()} is a volatile read
 * for the request path; a background thread compares the directory's {@link KeyDirectory#fingerprint()} every
 * few seconds and only parses keys when it changed. A change that does not load (a half-copied file, a
 * world-readable key, no key active any more) is logged and the previous good ring stays in service.
 */
public final class FileKeyRingSource implements KeyRingSource, AutoCloseable {
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(FileKeyRingSource.class);

    private final KeyDirectory directory;
    private final Clock clock;
    private final Object reloadLock = new Object();
    private volatile KeyRing ring;
    private volatile String lastProblem;
    private String lastFingerprint;
    private ScheduledExecutorService scheduler;

    private FileKeyRingSource(KeyDirectory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Loads the ring, or fails with a message for the operator when the directory has no usable key or no key
     * whose activation time has passed. Call {@link #startReloading} to follow later changes.
     */
    public static FileKeyRingSource load(KeyDirectory directory, Clock clock) {
        FileKeyRingSource source = new FileKeyRingSource(directory, clock);
        String fingerprint = source.fingerprintNow();
        source.ring = source.loadActiveRing();
        source.lastFingerprint = fingerprint;
        log.info("key ring loaded from {}: {}", directory.path(), describe(source.ring));
        return source;
    }

    public static FileKeyRingSource load(java.nio.file.Path dir, Clock clock) {
        return load(new KeyDirectory(dir), clock);
    }

    @Override
    public KeyRing current() {
        return ring;
    }

    /** Why the last reload was refused, while the previous ring is still in service. */
    public Optional<String> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }

    /** Checks the directory every {@code interval} on a daemon thread until {@link #close()}. */
    public synchronized FileKeyRingSource startReloading(Duration interval) {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tessera-key-ring-reload");
                thread.setDaemon(true);
                return thread;
            });
            long millis = interval.toMillis();
            scheduler.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /**
     * Reloads when the directory changed since the last attempt. Returns true when a new ring is in service.
     * A failed attempt is not retried until the directory changes again, so a broken file is reported once.
     */
    public boolean reloadIfChanged() {
        synchronized (reloadLock) {
            String fingerprint = fingerprintNow();
            if (fingerprint.equals(lastFingerprint)) {
                return false;
            }
            lastFingerprint = fingerprint;
            try {
                KeyRing loaded = loadActiveRing();
                ring = loaded;
                lastProblem = null;
                log.info("key ring reloaded from {}: {}", directory.path(), describe(loaded));
                return true;
            } catch (KeyFileException e) {
                lastProblem = e.getMessage();
                log.warn("key directory {} changed but does not load; still serving the previous key ring. {}",
                        directory.path(), e.getMessage());
                return false;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void reloadQuietly() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) { // keep the schedule alive whatever happens
            log.warn("key ring reload failed: {}", e.toString());
        }
    }

    private KeyRing loadActiveRing() {
        KeyRing loaded = directory.loadRing();
        if (loaded.activeAlgorithms(clock.instant()).isEmpty()) {
            String earliest = loaded.published().stream().map(SigningKey::activatesAt).min(java.util.Comparator.naturalOrder())
                    .map(Object::toString).orElse("never");
            throw new KeyFileException("key directory " + directory.path() + " has no key that is active yet"
                    + " (the earliest activates at " + earliest + "); generate one with `tessera keys generate`");
        }
        return loaded;
    }

    private String fingerprintNow() {
        try {
            return directory.fingerprint();
        } catch (IOException e) {
            return "unreadable: " + e.getClass().getSimpleName(); // loading reports the reason properly
        }
    }

    private static String describe(KeyRing ring) {
        return ring.published().stream().map(k -> k.algorithm() + " " + k.kid() + " from " + k.activatesAt())
                .collect(Collectors.joining(", "));
    }
}
