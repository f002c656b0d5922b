package dev.tessera.server.infrastructure.keys;

import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.SigningKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
public final class StoreKeyRingSource extends ReloadingKeyRingSource {
    /** Made-up kids cost at most one metadata query per this long, whatever the request rate. */
    static final Duration UNKNOWN_KID_SPACING = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(StoreKeyRingSource.class);

    private final SigningKeyStore store;
    private final Clock clock;
    private volatile Runnable beforeReload = () -> { };
    private final AtomicLong lastUnknownKidCheck = new AtomicLong(System.nanoTime() - UNKNOWN_KID_SPACING.toNanos());

    private StoreKeyRingSource(SigningKeyStore store, Clock clock) {
        // A refused change is tried again at every tick, e.g. once the operator fixed the key.
        super(log, "the store", IllegalStateException.class, true);
        this.store = store;
        this.clock = clock;
    }

    /**
     * Loads the ring, or fails with a message for the operator: a key that does not open (wrong
     * {@code keys.encryptionKey}), or no key active yet.
     */
    public static StoreKeyRingSource load(SigningKeyStore store, Clock clock) {
        StoreKeyRingSource source = new StoreKeyRingSource(store, clock);
        source.loadFirst();
        return source;
    }

    @Override
    public KeyRing forVerifying(String kid) {
        KeyRing known = current();
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
        return current();
    }

    /**
     * Every {@code interval} on a daemon thread until {@link #close()}: runs {@code beforeReload} (the rotation,
     * or nothing), then reloads when the store changed.
     */
    public synchronized StoreKeyRingSource startReloading(Duration interval, Runnable beforeReload) {
        if (schedule(interval, () -> tick(beforeReload))) {
            this.beforeReload = beforeReload;
        }
        return this;
    }

    @Override
    void refused(RuntimeException problem) {
        log.warn("the keys in the store changed but do not load; still serving the previous key ring. {}",
                problem.getMessage());
    }

    /** One tick of the schedule, on the caller's thread. */
    public void refreshNow() {
        tick(beforeReload);
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

    @Override
    KeyRing loadActiveRing() {
        List<SigningKey> keys = store.published();
        KeyRing loaded = new KeyRing(keys);
        if (loaded.activeAlgorithms(clock.instant()).isEmpty()) {
            throw new IllegalStateException("the store holds no signing key that is active yet; create one with"
                    + " `tessera keys generate --config <tessera.yaml>`, or set keys.rotation or keys.generate");
        }
        return loaded;
    }

    @Override
    String fingerprintNow() {
        return store.list().stream().filter(k -> !k.retired())
                .map(k -> k.kid() + "|" + k.algorithm() + "|" + k.activatesAt())
                .collect(Collectors.joining("\n"));
    }
}
