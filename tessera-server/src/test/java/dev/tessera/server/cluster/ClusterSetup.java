package dev.tessera.server.cluster;

import dev.tessera.server.infrastructure.store.PostgresTestDatabase;
import dev.tessera.server.testsupport.TesseraTestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * What the instances of a test cluster share, and one tessera.yaml per instance that differs only in the port:
 * one issuer (a loopback URL nothing listens on, as if it were the load balancer's), one fresh PostgreSQL
 * schema, {@code keys.source: store} under one key-encryption key.
 */
final class ClusterSetup {
    static final String WEB = "web";
    static final String WEB_SECRET = "web-secret-0123456789-0123456789-abcdef";
    static final String WEB_REDIRECT = "https://app.example.test/callback";
    static final String SERVICE = "service";
    static final String SERVICE_SECRET = "service-secret-0123456789-0123456789-ab";
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "correct horse battery staple";

    final String issuer = "http://127.0.0.1:" + TesseraTestServer.reservePort();
    final PostgresTestDatabase.Server postgres = PostgresTestDatabase.server();
    final String schema = "cluster_" + UUID.randomUUID().toString().replace("-", "");
    final String url = postgres.urlForSchema(schema);
    final String kek = randomKek();
    final List<Integer> ports = new ArrayList<>();
    final List<Path> configs = new ArrayList<>();

    /**
     * Writes {@code instances} configurations under {@code dir}. {@code keys}, {@code tokens}, {@code clients} and
     * {@code users} are extra YAML lines for those sections (indented as they appear there).
     */
    ClusterSetup(Path dir, int instances, String keys, String tokens, String clients, String users) {
        this(dir, instances, keys, tokens, clients, users, "");
    }

    /** As above, with {@code topLevel} YAML lines (whole sections, e.g. {@code trustedIssuers}) at the end. */
    ClusterSetup(Path dir, int instances, String keys, String tokens, String clients, String users, String topLevel) {
        for (int i = 0; i < instances; i++) {
            int port = TesseraTestServer.reservePort();
            ports.add(port);
            try {
                Path home = Files.createDirectories(dir.resolve("instance-" + i));
                configs.add(Files.writeString(home.resolve("tessera.yaml"), yaml(port, keys, tokens, clients, users, topLevel)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private String yaml(int port, String keys, String tokens, String clients, String users, String topLevel) {
        return "issuer: " + issuer + "\n"
                + "http:\n  host: 127.0.0.1\n  port: " + port + "\n"
                + "storage:\n  type: postgres\n  url: \"" + url + "\"\n  username: " + postgres.username() + "\n"
                + (postgres.password() == null ? "" : "  password: \"" + postgres.password() + "\"\n")
                + "keys:\n  source: store\n  encryptionKey: " + kek + "\n" + keys
                + "tokens:\n  accessTokenTtl: 15m\n" + tokens
                + "clients:\n"
                + "  - id: " + WEB + "\n"
                + "    name: Cluster Test App\n"
                + "    secret: " + WEB_SECRET + "\n"
                + "    redirectUris: [" + WEB_REDIRECT + "]\n"
                + "    grantTypes: [authorization_code, refresh_token]\n"
                + "    scopes: [openid, profile, offline_access]\n"
                + "    consent: skip\n"
                + "  - id: " + SERVICE + "\n"
                + "    name: Cluster Test Service\n"
                + "    secret: " + SERVICE_SECRET + "\n"
                + "    grantTypes: [client_credentials]\n"
                + "    scopes: [api.read]\n"
                + clients
                + "users:\n"
                + "  - username: " + ALICE + "\n"
                + "    password: " + ALICE_PASSWORD + "\n"
                + users
                + topLevel;
    }

    /** A table of this cluster's schema, for queries that check what the instances wrote. */
    String table(String name) {
        return schema + "." + name;
    }

    private static String randomKek() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
