package dev.tessera.server.bootstrap;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.infrastructure.crypto.Argon2idPasswordHasher;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;
import dev.tessera.server.testsupport.ServerProcess;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a start with an existing store, an RSA key and an ES256 key loads, in a child JVM that logs every class and logs as in
 * production: no Bouncy Castle (its signed jars cost a start hundreds of milliseconds, see PemKeyReader), no Flyway
 * (the schema is current), no XML parser for the logging set-up (LogConfiguration) and no JMX MBean server (Jetty's
 * question about compressed references, JettyMemoryHint), no command-line parser for the usual {@code serve --config}
 * (ServeArguments) and no static-file handler (StaticAssetsEndpoint), up to and including the first token. Start-up time is a
 * product number (issue 10); this keeps it from creeping back.
 */
class StartupClassesTest {
    private static final String CLIENT = "service";
    private static final String ES256_CLIENT = "service-es256";
    private static final String SECRET = "startup-classes-test-secret-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void aStartWithAnExistingKeyAndStoreLoadsNeitherBouncyCastleNorFlyway() throws IOException {
        int port = TesseraTestServer.reservePort();
        Path config = writeConfig(port);
        try (ServerProcess first = ServerProcess.start(config, port)) { // creates and migrates the store
            first.terminate();
            first.awaitExit(Duration.ofSeconds(30));
        }
        Path classes = dir.resolve("classes.log");

        String log;
        try (ServerProcess server = ServerProcess.startAsProduction(config, port,
                List.of("-Xlog:class+load=info:file=" + classes + ":none"))) {
            TokenClient.Response token = server.tokenClient().token(CLIENT, SECRET,
                    Map.of("grant_type", "client_credentials", "scope", "api.read"));
            assertThat(token.status()).isEqualTo(200);
            TokenClient.Response es256 = server.tokenClient().token(ES256_CLIENT, SECRET,
                    Map.of("grant_type", "client_credentials", "scope", "api.read"));
            assertThat(es256.status()).isEqualTo(200);
            String header = String.valueOf(es256.json().get("access_token")).split("\\.")[0];
            assertThat(new String(java.util.Base64.getUrlDecoder().decode(header), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("\"alg\":\"ES256\"");
            server.terminate();
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isZero();
            log = server.logText();
        }

        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded).anyMatch(line -> line.contains("dev.tessera.server.infrastructure.keys.PemKeyReader"));
        assertThat(loaded).noneMatch(line -> line.contains("org.bouncycastle."));
        assertThat(loaded).noneMatch(line -> line.contains("org.flywaydb."));
        assertThat(loaded).noneMatch(line -> line.contains("ch.qos.logback.classic.joran.JoranConfigurator ") || line.contains("org.xml.sax."));
        assertThat(loaded).noneMatch(line -> line.contains("javax.management.MBeanServer "));
        assertThat(loaded).noneMatch(line -> line.contains("picocli.CommandLine ")); // ServeArguments
        assertThat(loaded).noneMatch(line -> line.contains("io.javalin.jetty.JettyResourceHandler")); // StaticAssetsEndpoint
        // The production log: JSON lines, the ready line among them.
        assertThat(log.lines().filter(line -> line.contains("Tessera is serving"))).singleElement()
                .satisfies(line -> assertThat(line).startsWith("{\"@timestamp\":").contains("\"level\":\"INFO\""));
    }

    private Path writeConfig(int port) throws IOException {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        new KeyFileWriter(Clock.systemUTC()).generate(keys, JWSAlgorithm.RS256, 2048, Instant.EPOCH);
        new KeyFileWriter(Clock.systemUTC()).generate(keys, JWSAlgorithm.ES256, 256, Instant.EPOCH);
        String userHash = new Argon2idPasswordHasher().hash("a user's password 123".toCharArray());
        String yaml = "issuer: http://127.0.0.1:" + port + "\n"
                + "http:\n  host: 127.0.0.1\n  port: " + port + "\n"
                + "storage:\n  type: h2\n  path: " + dir.resolve("data/tessera") + "\n"
                + "keys:\n  dir: " + keys + "\n  generate: true\n"
                + "clients:\n"
                + "  - id: " + CLIENT + "\n"
                + "    name: Start-up Test Service\n"
                + "    secret: " + SECRET + "\n"
                + "    grantTypes: [client_credentials]\n"
                + "    scopes: [api.read]\n"
                + "  - id: " + ES256_CLIENT + "\n"
                + "    name: Start-up Test ES256 Service\n"
                + "    secret: " + SECRET + "\n"
                + "    grantTypes: [client_credentials]\n"
                + "    scopes: [api.read]\n"
                + "    accessTokenSigningAlg: ES256\n"
                + "users:\n"
                + "  - username: alice\n"
                + "    passwordHash: '" + userHash + "'\n";
        return Files.writeString(dir.resolve("tessera.yaml"), yaml);
    }
}
