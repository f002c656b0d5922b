package dev.tessera.server.bootstrap;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.JwtSigner;
import dev.tessera.server.application.keys.KeyEvents;
import dev.tessera.server.application.keys.KeyRotation;
import dev.tessera.server.application.keys.RotationSchedule;
import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.KeyRingSource;
import dev.tessera.server.application.port.SigningKeyGenerator;
import dev.tessera.server.config.KeyEncryptionKeyFormat;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.infrastructure.crypto.CryptoProviders;
import dev.tessera.server.infrastructure.crypto.SecretFilePermissions;
import dev.tessera.server.infrastructure.keys.FileKeyRingSource;
import dev.tessera.server.infrastructure.keys.JcaSigningKeyGenerator;
import dev.tessera.server.infrastructure.keys.KeyDirectory;
import dev.tessera.server.infrastructure.keys.KeyEncryptionKey;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;
import dev.tessera.server.infrastructure.keys.StoreKeyRingSource;
import dev.tessera.server.infrastructure.store.jdbc.Database;
import dev.tessera.server.infrastructure.store.jdbc.JdbcSigningKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.FutureTask;

/** Brings up the signing side: the crypto provider first (before any key object exists), then the key ring. */
public final class KeyWiring {
    private static final Logger LOG = LoggerFactory.getLogger(KeyWiring.class);
    /** How long a starting instance waits for another to add the first key to an empty store. */
    private static final Duration FIRST_KEY_WAIT = Duration.ofSeconds(60);

    private KeyWiring() {
    }

    static CryptoProviders providers(KeysConfig keys) {
        return CryptoProviders.configure(keys.provider());
    }

    /**
     * What a start brings up on a thread of its own while the main thread opens the store: the crypto provider first
     * (before any key object exists), then, with {@code keys.source: directory}, the key files, which need nothing
     * from the store.
     *
     * @param directoryRing the key directory's ring, not yet checked against the clients; null with {@code store}
     */
    record Signing(CryptoProviders providers, FileKeyRingSource directoryRing) {
    }

    /**
     * Loads the Corretto provider (its signed jar, its native library, its self tests) and then the key files on a
     * thread of its own, so both overlap opening the store.
     */
    static BackgroundStart<Signing> signingInBackground(KeysConfig keys, Clock clock) {
        return BackgroundStart.begin("tessera-signing-setup", "the crypto provider and keys", () -> {
            CryptoProviders providers = providers(keys);
            return new Signing(providers, keys.fromStore() ? null : keyRing(keys, clock));
        });
    }

    /** For a start that failed before it took the signing set-up: closes the key ring it may hold (its reload thread). */
    static void discard(BackgroundStart<Signing> signing) {
        signing.discard(loaded -> {
            if (loaded.directoryRing() != null) {
                loaded.directoryRing().close();
            }
        });
    }

    static FileKeyRingSource keyRing(KeysConfig keys, Clock clock) {
        if (keys.generate() && new KeyFileWriter(clock).ensureDevKey(keys.dir())) {
            // SPEC §1: generated keys are for development; production provisions them with `keys generate`.
            LOG.warn("generated a new RS256 signing key in {} (keys.generate: true); provision keys for production",
                    keys.dir().toAbsolutePath());
        }
        return FileKeyRingSource.load(new KeyDirectory(keys.dir()), clock)
                .startReloading(FileKeyRingSource.DEFAULT_CHECK_INTERVAL);
    }

    /**
     * The key ring ({@code keys.source}), refused (and closed) when a client's signing algorithm has no active key
     * in it: with {@code directory}, {@code directoryRing} as {@link #signingInBackground} loaded it; with
     * {@code store}, the ring reloads from the database and, with {@code keys.rotation}, rotates itself.
     */
    static KeyRingSource keyRingFor(TesseraConfig config, Database database, FileKeyRingSource directoryRing,
                                    List<Client> clients, AuditLog audit, Clock clock) {
        KeysConfig keys = config.keys();
        if (!keys.fromStore()) {
            FileKeyRingSource ring = directoryRing;
            return checked(ring, ring, config, clients, new SigningKeyCheck.KeyLocation(String.valueOf(keys.dir()),
                    "--dir " + keys.dir()), clock);
        }
        JdbcSigningKeyStore store = StoreWiring.signingKeys(database, encryptionKey(keys.encryptionKey(),
                "keys.encryptionKey"));
        RotationSchedule schedule = schedule(config, clients);
        KeyRotation rotation = new KeyRotation(store, generator(), schedule, new KeyEvents(audit), clock, holderName());
        if (keys.generate() || schedule.automatic()) {
            rotation.ensureActiveKey(JWSAlgorithm.RS256, FIRST_KEY_WAIT);
        }
        StoreKeyRingSource ring = StoreKeyRingSource.load(store, clock); // a wrong keys.encryptionKey stops here
        ring.startReloading(keys.reloadEvery(), rotation::runOnce);
        return checked(ring, ring, config, clients, new SigningKeyCheck.KeyLocation("the key store",
                "--config <tessera.yaml>"), clock);
    }

    /** {@code keys.rotation} as a schedule; manual (nothing automatic) without it. */
    static RotationSchedule schedule(TesseraConfig config, List<Client> clients) {
        KeysConfig keys = config.keys();
        return keys.rotation() == null ? RotationSchedule.manual()
                : RotationSchedule.automatic(keys.rotation().every(), keys.rotation().prePublish(),
                longestTokenTtl(config, clients));
    }

    /**
     * {@code keys.encryptionKey} (or another key in the same form) as a key.
     *
     * @throws IllegalStateException naming {@code what} when it is missing, unreadable or not 32 bytes
     */
    public static KeyEncryptionKey encryptionKey(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(what + " is not set; keys.source: store needs the key-encryption key"
                    + " (32 random bytes in base64, or file:PATH)");
        }
        byte[] bytes = encryptionKeyBytes(value, what);
        try {
            return new KeyEncryptionKey(bytes, what);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * The 32 bytes of {@code keys.encryptionKey}; a {@code file:} key readable by every user of the machine is
     * refused like a signing key file (SPEC §7).
     *
     * @throws IllegalStateException naming {@code what} when the key is unreadable, too open or not 32 bytes
     */
    public static byte[] encryptionKeyBytes(String value, String what) {
        try {
            Optional<Path> file = KeyEncryptionKeyFormat.file(value, what);
            if (file.isPresent()) {
                refuseWorldReadable(file.get(), what);
            }
            return KeyEncryptionKeyFormat.read(value, what);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    private static void refuseWorldReadable(Path file, String what) {
        Optional<String> problem;
        try {
            problem = SecretFilePermissions.problem(file);
        } catch (IOException e) {
            throw new IllegalStateException(what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (problem.isPresent()) {
            throw new IllegalStateException(what + ": " + problem.get());
        }
    }

    /** New keys for the store: RSA keys get the {@code keys generate} default of 4096 bits. */
    public static SigningKeyGenerator generator() {
        return new JcaSigningKeyGenerator(KeyFileWriter.DEFAULT_RSA_BITS);
    }

    /**
     * The longest lifetime of anything our keys sign: access and ID tokens (server defaults and every client's
     * override) and ID-JAGs. A superseded key stays published this long (plus skew) after it stopped signing.
     */
    static Duration longestTokenTtl(TesseraConfig config, List<Client> clients) {
        Duration longest = max(config.tokens().accessTokenTtl(), config.tokens().idTokenTtl());
        longest = max(longest, config.tokens().idJagTtl());
        for (Client client : clients) {
            longest = max(longest, client.accessTokenTtl());
            longest = max(longest, client.idTokenTtl());
        }
        return longest;
    }

    private static Duration max(Duration a, Duration b) {
        return b != null && b.compareTo(a) > 0 ? b : a;
    }

    private static String holderName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "host");
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static KeyRingSource checked(KeyRingSource ring, AutoCloseable closeable, TesseraConfig config,
                                         List<Client> clients, SigningKeyCheck.KeyLocation location, Clock clock) {
        try {
            SigningKeyCheck.requireKeysFor(clients,
                    ConfigToDomain.accessTokenFormat(config.tokens().parsedAccessTokenFormat()), ring.current(),
                    location, clock.instant());
            return ring;
        } catch (RuntimeException e) {
            try {
                closeable.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    static JwtSigner signer(KeyRingSource keys, CryptoProviders providers, Clock clock) {
        return new JwtSigner(keys, providers.provider(), clock);
    }
}
