package dev.tessera.server.application.keys;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.port.SigningKeyGenerator;
import dev.tessera.server.application.port.SigningKeyStore;
import dev.tessera.server.application.port.SigningKeyStore.KeyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Carries out the {@link RotationSchedule} on the store's key ring. Every instance runs it on a timer; only the
 * one that takes the store's rotation lock acts, and it plans again from a fresh read under the lock, so a key
 * another instance made a moment earlier is seen and never made twice. Runs on a background thread or at
 * startup, never in a request handler: generating an RSA key takes seconds.
 */
public final class KeyRotation {
    /** Longer than any generation takes; a holder that dies frees the lock when it ends. */
    static final Duration LEASE = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    private final SigningKeyStore store;
    private final SigningKeyGenerator generator;
    private final RotationSchedule schedule;
    private final KeyEvents events;
    private final Clock clock;
    private final String holder;

    /** @param holder this instance's name in the lock (host and process), for operators reading the table */
    public KeyRotation(SigningKeyStore store, SigningKeyGenerator generator, RotationSchedule schedule, KeyEvents events,
                       Clock clock, String holder) {
        this.store = store;
        this.generator = generator;
        this.schedule = schedule;
        this.events = events;
        this.clock = clock;
        this.holder = holder;
    }

    /** What one run did. */
    public record Outcome(boolean lockHeldElsewhere, List<String> generated, List<String> activated, List<String> retired) {
        static final Outcome NOTHING = new Outcome(false, List.of(), List.of(), List.of());

        public boolean changedKeys() {
            return !generated.isEmpty() || !retired.isEmpty();
        }
    }

    /** One run: does what the schedule says is due, if this instance gets the lock. */
    public Outcome runOnce() {
        Instant now = clock.instant();
        if (schedule.plan(store.list(), now).isEmpty()) {
            return Outcome.NOTHING; // the common case: one metadata query, no lock
        }
        if (!store.tryLock(holder, now, LEASE)) {
            return new Outcome(true, List.of(), List.of(), List.of());
        }
        try {
            RotationSchedule.Plan plan = schedule.plan(store.list(), now);
            if (!plan.generate().isEmpty()) {
                // An instance whose keys.encryptionKey no longer opens the ring (after a rewrap) must not add a key
                // that the others cannot open: this throws before anything is written.
                store.published();
            }
            List<String> generated = plan.generate().stream().map(g -> {
                SigningKey key = generator.generate(g.algorithm(), g.activatesAt());
                store.add(key, now);
                events.added(key, "rotation");
                log.info("generated {} key {}; published now, signs from {}", key.algorithm(), key.kid(), key.activatesAt());
                return key.kid();
            }).toList();
            List<String> activated = plan.announce().stream().filter(k -> store.markActivated(k.kid(), now)).map(k -> {
                events.activated(k.kid(), k.algorithm().getName(), "rotation");
                return k.kid();
            }).toList();
            List<String> retired = plan.retire().stream().filter(k -> store.retire(k.kid(), now)).map(k -> {
                events.retired(k.kid(), k.algorithm().getName(), "rotation");
                log.info("retired {} key {}: every token it signed has expired", k.algorithm(), k.kid());
                return k.kid();
            }).toList();
            return new Outcome(false, generated, activated, retired);
        } finally {
            store.unlock(holder);
        }
    }

    /**
     * At startup on an empty store: makes the first {@code algorithm} key, active at once (no token exists yet
     * that a verifier could need it for). When several instances start together, one makes it and the others
     * wait up to {@code wait} for it to appear. True when this instance made it.
     */
    public boolean ensureActiveKey(JWSAlgorithm algorithm, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Instant now = clock.instant();
            if (hasActive(store.list(), algorithm, now)) {
                return false;
            }
            if (store.tryLock(holder, now, LEASE)) {
                try {
                    if (hasActive(store.list(), algorithm, now)) {
                        return false;
                    }
                    SigningKey key = generator.generate(algorithm, now);
                    store.add(key, now);
                    events.added(key, "startup");
                    if (store.markActivated(key.kid(), now)) {
                        events.activated(key.kid(), algorithm.getName(), "startup");
                    }
                    log.warn("the store held no active {} key; generated {} and it signs from now", algorithm, key.kid());
                    return true;
                } finally {
                    store.unlock(holder);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the store holds no active " + algorithm + " key and another instance"
                        + " holds the key rotation lock without adding one; try again in a few minutes");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for another instance to add the first key", e);
            }
        }
    }

    private static boolean hasActive(List<KeyInfo> keys, JWSAlgorithm algorithm, Instant now) {
        return keys.stream().anyMatch(k -> !k.retired() && k.algorithm().equals(algorithm) && !k.activatesAt().isAfter(now));
    }
}
