package dev.tessera.server.cli;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.KeyEvents;
import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.SigningKeyStore.KeyInfo;
import dev.tessera.server.bootstrap.KeyWiring;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.infrastructure.audit.Slf4jAuditLog;
import dev.tessera.server.infrastructure.keys.JcaSigningKeyGenerator;
import dev.tessera.server.infrastructure.keys.KeyEncryptionKey;
import dev.tessera.server.infrastructure.keys.KeyFileException;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.infrastructure.store.jdbc.JdbcSigningKeyStore;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code keys} commands on the ring in the database ({@code keys.source: store}), opened through the
 * {@code --config} file's storage and {@code keys.encryptionKey}. Running servers see each change at their next
 * reload (within a minute).
 */
final class StoredKeys implements AutoCloseable {
    private static final Duration REWRAP_LOCK = Duration.ofMinutes(10);

    private final Database database;
    private final JdbcSigningKeyStore store;
    private final KeyEvents events = new KeyEvents(new Slf4jAuditLog());
    private final Clock clock;

    StoredKeys(TesseraConfig config, Clock clock) {
        KeyEncryptionKey kek = KeyWiring.encryptionKey(config.keys().encryptionKey(), "keys.encryptionKey");
        this.database = StoreWiring.open(config.storage());
        this.store = StoreWiring.signingKeys(database, kek);
        this.clock = clock;
    }

    SigningKey generate(JWSAlgorithm alg, int rsaBits, Instant activatesAt) {
        Instant now = clock.instant();
        SigningKey key = new JcaSigningKeyGenerator(rsaBits == 0 ? 2048 : rsaBits).generate(alg, activatesAt);
        store.published(); // a wrong keys.encryptionKey must not add a key the servers cannot open
        store.add(key, now);
        events.added(key, "cli");
        if (!key.activatesAt().isAfter(now) && store.markActivated(key.kid(), now)) {
            events.activated(key.kid(), alg.getName(), "cli");
        }
        return key;
    }

    Optional<SigningKey> active(JWSAlgorithm alg) {
        return new KeyRing(store.published()).active(alg, clock.instant());
    }

    void list(PrintWriter out) {
        List<KeyInfo> keys = store.list();
        KeyRing ring = new KeyRing(store.published()); // also proves keys.encryptionKey opens them
        Instant now = clock.instant();
        String row = "%-43s  %-5s  %-10s  %-21s  %s%n";
        out.printf(row, "KID", "ALG", "STATE", "ACTIVATES", "RETIRED");
        List<KeyInfo> newestFirst = new ArrayList<>(keys);
        java.util.Collections.reverse(newestFirst);
        for (KeyInfo key : newestFirst) {
            String state = key.retired() ? "retired" : key.activatesAt().isAfter(now) ? "pending"
                    : ring.active(key.algorithm(), now).map(a -> a.kid().equals(key.kid())).orElse(false) ? "active" : "superseded";
            out.printf(row, key.kid(), key.algorithm(), state, key.activatesAt(), key.retired() ? key.retiredAt() : "");
        }
        if (keys.isEmpty()) {
            out.println("No key in the store; create one with `tessera keys generate --config <tessera.yaml>`.");
        }
    }

    /** Retires {@code kid}; refuses the only active key of its algorithm unless {@code force}. */
    void retire(String kid, boolean force, PrintWriter out) {
        List<SigningKey> published = store.published();
        SigningKey target = published.stream().filter(k -> k.kid().equals(kid)).findFirst()
                .orElseThrow(() -> new KeyFileException("no published key has kid " + kid + " in the store;"
                        + " `tessera keys list --config <tessera.yaml>` shows the kids"));
        Instant now = clock.instant();
        JWSAlgorithm alg = target.algorithm();
        List<SigningKey> remaining = new ArrayList<>(published);
        remaining.remove(target);
        Optional<SigningKey> successor = new KeyRing(remaining).active(alg, now);
        boolean signsNow = new KeyRing(published).active(alg, now).map(k -> k.kid().equals(kid)).orElse(false);
        if (signsNow && successor.isEmpty() && !force) {
            throw new KeyFileException("refusing to retire " + kid + ": it is the only active " + alg + " key, so"
                    + " the servers could no longer sign " + alg + " tokens. Add a replacement first, or pass --force");
        }
        if (store.retire(kid, now)) {
            events.retired(kid, alg.getName(), "cli");
        }
        out.println("Retired " + kid + ": servers stop publishing it within a minute; its private key is erased.");
        if (signsNow) {
            out.println(successor.map(k -> alg + " tokens are now signed with " + k.kid() + ".")
                    .orElse("Warning: no " + alg + " key is active any more; servers keep their previous key ring until one is."));
        }
    }

    /** Re-seals every key under {@code next} in one transaction, holding the rotation lock meanwhile. */
    int rewrap(KeyEncryptionKey next) {
        String holder = "keys rewrap/" + ProcessHandle.current().pid();
        if (!store.tryLock(holder, clock.instant(), REWRAP_LOCK)) {
            throw new KeyFileException("an instance is rotating keys right now (it holds the key rotation lock);"
                    + " run `tessera keys rewrap` again in a few minutes");
        }
        try {
            return store.rewrap(next);
        } finally {
            store.unlock(holder);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
