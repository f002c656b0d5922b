package dev.tessera.server.testsupport;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.bootstrap.DevMode;
import dev.tessera.server.bootstrap.TesseraApp;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.ConfigException;
import dev.tessera.server.config.ConfigValidator;
import dev.tessera.server.config.HttpConfig;
import dev.tessera.server.config.KeysConfig;
import dev.tessera.server.config.StorageConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.infrastructure.jose.SectorDocuments;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The whole server on 127.0.0.1 with a fresh H2 store, shared test keys and the standard test clients
 * and users. The issuer carries the real port, so discovery URLs work for real clients.
 */
public final class TesseraTestServer implements AutoCloseable {
    public static final String WEB = "web";
    public static final String WEB_SECRET = "web-secret-0123456789-0123456789-abcdef";
    public static final String WEB_REDIRECT = "https://app.example.test/callback";
    public static final String OTHER = "other";
    public static final String OTHER_SECRET = "other-secret-0123456789-0123456789-abcde";
    public static final String SPA = "spa";
    public static final String SPA_REDIRECT = "http://127.0.0.1/spa/callback";
    public static final String SERVICE = "service";
    public static final String SERVICE_SECRET = "service-secret-0123456789-0123456789-ab";
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "correct horse battery staple";
    public static final String BOB = "bob";
    public static final String BOB_PASSWORD = "bob's long password 42";

    private static final class SharedKeys {
        static final Path DIR = createKeyDir();
    }

    private final TesseraApp app;
    private final MutableClock clock;
    private final Path dataDir;
    private final StorageConfig storage;
    private final DevMode dev; // null unless started like serve --dev

    private TesseraTestServer(TesseraApp app, MutableClock clock, Path dataDir, StorageConfig storage) {
        this(app, clock, dataDir, storage, null);
    }

    private TesseraTestServer(TesseraApp app, MutableClock clock, Path dataDir, StorageConfig storage, DevMode dev) {
        this.app = app;
        this.clock = clock;
        this.dataDir = dataDir;
        this.storage = storage;
        this.dev = dev;
    }

    /**
     * {@code serve --dev} on a free port: its demo client and user, registration and /dev/callback, but a
     * temporary store and the shared test keys instead of ./data/dev and ./keys/dev.
     */
    public static TesseraTestServer startDev() {
        MutableClock clock = MutableClock.startingNow();
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            DevMode dev = DevMode.prepare(freePort());
            Path dataDir = tempDir("tessera-test-dev");
            TesseraConfig config = dev.config().withStorage(StorageConfig.h2(dataDir.resolve("tessera")))
                    .withKeys(KeysConfig.defaults().withDir(SharedKeys.DIR));
            try {
                return new TesseraTestServer(TesseraApp.start(config, clock, dev), clock, dataDir, config.storage(), dev);
            } catch (RuntimeException e) {
                last = e; // the free port may have been taken in between; try another
            }
        }
        throw last;
    }

    /** The dev-mode setup (printed credentials, PKCE verifier) of a server from {@link #startDev()}. */
    public DevMode dev() {
        if (dev == null) {
            throw new IllegalStateException("not started with startDev()");
        }
        return dev;
    }

    public static TesseraTestServer start() {
        return start(UnaryOperator.identity());
    }

    /** @param customize changes to the standard test configuration (issuer and port are set afterwards) */
    public static TesseraTestServer start(UnaryOperator<TesseraConfig> customize) {
        return start(-1, customize, SectorDocuments.httpsOnly());
    }

    /** Like {@link #start(UnaryOperator)}, but sector identifier documents may be served over http on 127.0.0.1. */
    public static TesseraTestServer startAllowingLoopbackHttpFetches(UnaryOperator<TesseraConfig> customize) {
        return start(-1, customize, SectorDocuments.allowingLoopbackHttpForTests());
    }

    /**
     * Starts on a port reserved earlier with {@link #reservePort()}, for servers that must name each other in
     * their configuration before either runs.
     */
    public static TesseraTestServer startOn(int port, UnaryOperator<TesseraConfig> customize) {
        return start(port, customize, SectorDocuments.httpsOnly());
    }

    /** A free loopback port, and so the issuer {@code http://127.0.0.1:<port>} a server started on it will have. */
    public static int reservePort() {
        return freePort();
    }

    private static TesseraTestServer start(int fixedPort, UnaryOperator<TesseraConfig> customize,
                                           SectorDocuments sectorDocuments) {
        MutableClock clock = MutableClock.startingNow();
        RuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = fixedPort > 0 ? fixedPort : freePort();
            String issuer = "http://127.0.0.1:" + port;
            Path dataDir = tempDir("tessera-test-data");
            TesseraConfig customized = customize.apply(standard(issuer, dataDir));
            TesseraConfig config = customized
                    .withIssuer(issuer)
                    .withHttp(new HttpConfig("127.0.0.1", port, customized.http().trustedProxies()));
            ConfigValidator.requireValid(config);
            try {
                return new TesseraTestServer(TesseraApp.start(config, clock, null, sectorDocuments), clock, dataDir, config.storage());
            } catch (ConfigException e) {
                throw e; // the configuration, not the port
            } catch (RuntimeException e) {
                last = e; // the free port may have been taken in between; try another
            }
        }
        throw last;
    }

    public static TesseraConfig standard(String issuer, Path dataDir) {
        return TesseraConfig.defaults(issuer)
                .withStorage(StorageConfig.h2(dataDir.resolve("tessera")))
                .withKeys(KeysConfig.defaults().withDir(SharedKeys.DIR))
                .withClients(List.of(
                        ClientConfig.builder(WEB).name("Example Web App").secret(WEB_SECRET)
                                .redirectUris(List.of(WEB_REDIRECT))
                                .scopes(List.of("openid", "profile", "email", "address", "phone", "offline_access"))
                                .build(),
                        ClientConfig.builder(OTHER).name("Other App").secret(OTHER_SECRET)
                                .redirectUris(List.of("https://other.example.test/callback"))
                                .scopes(List.of("openid", "profile", "email", "offline_access"))
                                .build(),
                        ClientConfig.builder(SPA).name("Single Page App").publicClient(true)
                                .redirectUris(List.of(SPA_REDIRECT))
                                .scopes(List.of("openid", "profile", "offline_access"))
                                .build(),
                        ClientConfig.builder(SERVICE).name("Backend Service").secret(SERVICE_SECRET)
                                .grantTypes(List.of("client_credentials"))
                                .scopes(List.of("api.read", "api.write"))
                                .build()))
                .withUsers(List.of(
                        UserConfig.builder(ALICE).password(ALICE_PASSWORD).roles(List.of("admin"))
                                .claims(Map.of("name", "Alice Example", "given_name", "Alice",
                                        "email", "alice@example.com", "email_verified", true,
                                        "phone_number", "+1 555 0100", "department", "R&D"))
                                .build(),
                        UserConfig.builder(BOB).password(BOB_PASSWORD)
                                .claims(Map.of("name", "Bob Example", "email", "bob@example.com"))
                                .build()));
    }

    public String issuer() {
        return app.settings().issuer();
    }

    public URI uri() {
        return URI.create(issuer() + "/");
    }

    public int port() {
        return app.port();
    }

    public MutableClock clock() {
        return clock;
    }

    public TesseraApp app() {
        return app;
    }

    /** Every row of the server's store, read over JDBC (for "nothing was written" checks). */
    /** Every row, once the writes that follow start-up (the configuration's password hashes) are done. */
    public StoreSnapshot storeSnapshot() {
        app.awaitConfigPasswords();
        return StoreSnapshot.of(storage);
    }

    public UserAgent userAgent() {
        return new UserAgent(uri());
    }

    public TokenClient tokenClient() {
        return new TokenClient(uri());
    }

    @Override
    public void close() {
        app.close();
    }

    private static Path createKeyDir() {
        Path dir = tempDir("tessera-test-keys");
        // 2048 bits keeps the suite fast; the 4096-bit default is exercised by the key and bench suites.
        new KeyFileWriter(Clock.systemUTC()).generate(dir, JWSAlgorithm.RS256, 2048, Instant.EPOCH);
        new KeyFileWriter(Clock.systemUTC()).generate(dir, JWSAlgorithm.ES256, 0, Instant.EPOCH);
        new KeyFileWriter(Clock.systemUTC()).generate(dir, JWSAlgorithm.PS256, 2048, Instant.EPOCH);
        return dir;
    }

    private static Path tempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
