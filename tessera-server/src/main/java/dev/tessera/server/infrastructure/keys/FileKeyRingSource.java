package dev.tessera.server.infrastructure.keys;

import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * The key ring read from the key directory, reloaded without a restart. {@link #current()} is a volatile read
 * for the request path; a background thread compares the directory's {@link KeyDirectory#fingerprint()} every
 * few seconds and only parses keys when it changed. A change that does not load (a half-copied file, a
 * world-readable key, no key active any more) is logged and the previous good ring stays in service; it is not
 * tried again until the directory changes again, so a broken file is reported once. The exception is a directory
 * whose keys all activate later: it is loaded again once the earliest of them is active, since only time was
 * missing.
 */
public final class FileKeyRingSource extends ReloadingKeyRingSource {
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(FileKeyRingSource.class);

    private final KeyDirectory directory;
    private final Clock clock;
    private volatile String lastProblem;
    /** The earliest activation of a directory refused only because none of its keys is active yet. */
    private volatile Instant refusedUntil;

    private FileKeyRingSource(KeyDirectory directory, Clock clock) {
        super(log, directory.path(), KeyFileException.class, false);
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * Loads the ring, or fails with a message for the operator when the directory has no usable key or no key
     * whose activation time has passed. Call {@link #startReloading} to follow later changes.
     */
    public static FileKeyRingSource load(KeyDirectory directory, Clock clock) {
        FileKeyRingSource source = new FileKeyRingSource(directory, clock);
        source.loadFirst();
        return source;
    }

    public static FileKeyRingSource load(java.nio.file.Path dir, Clock clock) {
        return load(new KeyDirectory(dir), clock);
    }

    /** Why the last reload was refused, while the previous ring is still in service. */
    public Optional<String> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }

    /** Checks the directory every {@code interval} on a daemon thread until {@link #close()}. */
    public FileKeyRingSource startReloading(Duration interval) {
        schedule(interval, this::reloadQuietly);
        return this;
    }

    @Override
    void loaded() {
        lastProblem = null;
        refusedUntil = null;
    }

    @Override
    boolean dueForRetry() {
        Instant until = refusedUntil;
        if (until == null || clock.instant().isBefore(until)) {
            return false;
        }
        refusedUntil = null; // one more try; a refusal again sets it anew
        return true;
    }

    @Override
    void refused(RuntimeException problem) {
        lastProblem = problem.getMessage();
        log.warn("key directory {} changed but does not load; still serving the previous key ring. {}",
                directory.path(), problem.getMessage());
    }

    private void reloadQuietly() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) { // keep the schedule alive whatever happens
            log.warn("key ring reload failed: {}", e.toString());
        }
    }

    @Override
    KeyRing loadActiveRing() {
        KeyRing loaded = directory.loadRing();
        if (loaded.activeAlgorithms(clock.instant()).isEmpty()) {
            Optional<Instant> earliest = loaded.published().stream().map(SigningKey::activatesAt)
                    .min(Comparator.naturalOrder());
            refusedUntil = earliest.orElse(null);
            throw new KeyFileException("key directory " + directory.path() + " has no key that is active yet"
                    + " (the earliest activates at " + earliest.map(Object::toString).orElse("never")
                    + "); generate one with `tessera keys generate`");
        }
        return loaded;
    }

    @Override
    String fingerprintNow() {
        try {
            return directory.fingerprint();
        } catch (IOException e) {
            return "unreadable: " + e.getClass().getSimpleName(); // loading reports the reason properly
        }
    }
}
