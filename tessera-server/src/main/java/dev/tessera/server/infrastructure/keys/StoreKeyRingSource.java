package dev.tessera.server.infrastructure.keys;

import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.KeyRingSource;
import dev.tessera.server.application.port.SigningKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The key ring read from the store ({@code keys.source: store}). {@link #current()} is a volatile read for the
 * request path. A background thread reads the keys' metadata every {@code keys.reloadInterval} and opens the
 * sealed keys only when the set of keys changed, so every instance sees a key another one added within that
 * interval (SPEC §7: within a minute). A change that does not load (a key that does not open) is logged and the
 * previous ring stays in service.
 *
 * <p>A token naming a kid the ring lacks makes the request thread check the store at once (at most once per
 * {@link #UNKNOWN_KID_SPACING}): a key added with an activation time of now signs at the first instance that
 * reloads, and the others must not call its tokens invalid until their own next tick.
 */
public final class StoreKeyRingSource implements KeyRingSource, AutoCloseable {
    /** Made-up kids cost at most one metadata query per this long, whatever the request rate. */
    static final Duration UNKNOWN_KID_SPACING = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(StoreKeyRingSource.class);

    private final SigningKeyStore store;
    private final Clock clock;
    private final Object reloadLock = new Object();
    private volatile KeyRing ring;
    private String lastFingerprint;
    private ScheduledExecutorService scheduler;
    private volatile Runnable beforeReload = () -> { };
    private final AtomicLong lastUnknownKidCheck = new AtomicLong(System.nanoTime() - UNKNOWN_KID_SPACING.toNanos());

    private StoreKeyRingSource(SigningKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Loads the ring, or fails with a message for the operator: a key that does not open (wrong
     * {@code keys.encryptionKey}), or no key active yet.
     */
    public static StoreKeyRingSource load(SigningKeyStore store, Clock clock) {
        StoreKeyRingSource source = new StoreKeyRingSource(store, clock);
        String fingerprint = source.fingerprintNow();
        source.ring = source.loadActiveRing();
        source.lastFingerprint = fingerprint;
        log.info("key ring loaded from the store: {}", describe(source.ring));
        return source;
    }

    @Override
    public KeyRing current() {
        return ring;
    }

    @Override
    public KeyRing forVerifying(String kid) {
        KeyRing known = ring;
        if (known.byKid(kid).isPresent()) {
            return known;
        }
        long now = System.nanoTime();
        long last = lastUnknownKidCheck.get();
        if (now - last < UNKNOWN_KID_SPACING.toNanos() || !lastUnknownKidCheck.compareAndSet(last, now)) {
            return known;
        }
        try {
            reloadIfChanged();
        } catch (RuntimeException e) { // the store is unreachable: answer with the ring we have
            log.warn("key ring reload for an unknown kid failed: {}", e.toString());
        }
        return ring;
    }

    /**
     * Every {@code interval} on a daemon thread until {@link #close()}: runs {@code beforeReload} (the rotation,
     * or nothing), then reloads when the store changed.
     */
    public synchronized StoreKeyRingSource startReloading(Duration interval, Runnable beforeReload) {
        if (scheduler == null) {
            this.beforeReload = beforeReload;
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tessera-key-ring-reload");
                thread.setDaemon(true);
                return thread;
            });
            long millis = interval.toMillis();
            scheduler.scheduleWithFixedDelay(() -> tick(beforeReload), millis, millis, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Reloads when the keys in the store changed since the last attempt. True when a new ring is in service. */
    public boolean reloadIfChanged() {
        synchronized (reloadLock) {
            String fingerprint = fingerprintNow();
            if (fingerprint.equals(lastFingerprint)) {
                return false;
            }
            try {
                KeyRing loaded = loadActiveRing();
                ring = loaded;
                lastFingerprint = fingerprint;
                log.info("key ring reloaded from the store: {}", describe(loaded));
                return true;
            } catch (IllegalStateException e) {
                // Not remembered as seen: the next tick tries again, e.g. once the operator fixed the key.
                log.warn("the keys in the store changed but do not load; still serving the previous key ring. {}",
                        e.getMessage());
                return false;
            }
        }
    }

    /** One tick of the schedule, on the caller's thread. */
    public void refreshNow() {
        tick(beforeReload);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void tick(Runnable beforeReload) {
        try {
            beforeReload.run();
        } catch (RuntimeException e) { // keep the schedule alive whatever happens
            log.warn("key rotation failed: {}", e.toString());
        }
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            log.warn("key ring reload failed: {}", e.toString());
        }
    }

    private KeyRing loadActiveRing() {
        List<SigningKey> keys = store.published();
        KeyRing loaded = new KeyRing(keys);
        if (loaded.activeAlgorithms(clock.instant()).isEmpty()) {
            throw new IllegalStateException("the store holds no signing key that is active yet; create one with"
                    + " `tessera keys generate --config <tessera.yaml>`, or set keys.rotation or keys.generate");
        }
        return loaded;
    }

    private String fingerprintNow() {
        return store.list().stream().filter(k -> !k.retired())
                .map(k -> k.kid() + "|" + k.algorithm() + "|" + k.activatesAt())
                .collect(Collectors.joining("\n"));
    }

    private static String describe(KeyRing ring) {
        return ring.published().stream().map(k -> k.algorithm() + " " + k.kid() + " from " + k.activatesAt())
                .collect(Collectors.joining(", "));
    }
}
