package dev.tessera.server.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release archive as an operator gets it: {@code tessera-<version>.tar.gz} from {@code package} is unpacked,
 * made read-only, and its own {@code bin/tessera} provisions a key and serves its {@code config/tessera.example.yaml},
 * changed only where a machine must differ (listen address, an H2 store on the data volume, the key directory, one
 * client_credentials client). It proves the launcher, the lib/ classpath and the example config work together,
 * that the server writes only to its data and temporary directories (what a read-only root filesystem needs), and
 * that SIGTERM stops it cleanly.
 *
 * <p>Tests run as root here, and root ignores {@code chmod a-w}; so besides removing write permission the test
 * compares every file of the read-only trees before and after, and checks that nothing appeared in HOME.
 */
class ReleaseArchiveIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERVING = Pattern.compile("Tessera is serving \\S+ on [^\\s:]+:(\\d+)");
    private static final String SERVICE_SECRET = "release-test-service-secret-0123456789";

    @TempDir
    Path base;

    private final List<Path> readOnly = new ArrayList<>();
    private Process server;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (Path tree : readOnly) {
            run(List.of("chmod", "-R", "u+w", tree.toString()), base, Map.of()); // so @TempDir can delete it
        }
    }

    @Test
    void theUnpackedArchiveServesItsExampleConfigFromAReadOnlyTreeAndStopsOnSigterm() throws Exception {
        Path app = unpack();
        Path etc = Files.createDirectories(base.resolve("etc"));
        Path keys = Files.createDirectories(base.resolve("keys"));
        Path data = Files.createDirectories(base.resolve("data"));
        Path home = Files.createDirectories(base.resolve("home"));
        Path tmp = Files.createDirectories(base.resolve("tmp"));
        Path config = etc.resolve("tessera.yaml");
        Files.writeString(config, adaptedExample(app.resolve("config/tessera.example.yaml"), data, keys));
        Map<String, String> env = Map.of(
                "HOME", home.toString(),
                "TMPDIR", tmp.toString(),
                "WEB_CLIENT_SECRET", "web-client-secret-0123456789-0123456789",
                "SERVICE_SECRET", SERVICE_SECRET,
                // Small heap and C1 only: the machine is shared and this server lives for seconds.
                "TESSERA_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1",
                // CI runs as root, for whom the read-only tree is still writable: the launcher would make its
                // class-data sharing archive in it (cds/, about 30 s); that step is not what this test checks.
                "TESSERA_CDS", "off");

        // Production keys are provisioned by the CLI of the same archive (keys.generate is false in the example).
        run(List.of(app.resolve("bin/tessera").toString(), "keys", "generate", "--config", config.toString(),
                "--bits", "2048"), app, env);
        for (Path tree : List.of(app, etc, keys)) {
            run(List.of("chmod", "-R", "a-w", tree.toString()), base, Map.of());
            readOnly.add(tree);
        }
        Map<String, String> before = snapshot(app, etc, keys);

        Path log = base.resolve("server.log");
        ProcessBuilder serve = new ProcessBuilder(app.resolve("bin/tessera").toString(), "serve", "--config",
                config.toString()).directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        serve.environment().putAll(env);
        server = serve.start();
        URI root = URI.create("http://127.0.0.1:" + awaitPort(log) + "/");
        awaitReady(root, log);

        JsonNode discovery = JSON.readTree(get(root.resolve(".well-known/openid-configuration")).body());
        assertThat(discovery.path("issuer").asText()).isEqualTo("https://id.example.com");
        assertThat(discovery.path("jwks_uri").asText()).isEqualTo("https://id.example.com/.well-known/jwks.json");
        JWKSet jwks = JWKSet.parse(get(root.resolve(".well-known/jwks.json")).body());
        assertThat(jwks.getKeys()).singleElement().satisfies(key -> assertThat(key.isPrivate()).isFalse());

        HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(root.resolve("token"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("service:" + SERVICE_SECRET).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=api.read")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        SignedJWT accessToken = SignedJWT.parse(JSON.readTree(token.body()).path("access_token").asText());
        RSAKey signer = (RSAKey) jwks.getKeyByKeyId(accessToken.getHeader().getKeyID());
        assertThat(accessToken.verify(new RSASSAVerifier(signer))).as("signed by the published key").isTrue();
        assertThat(accessToken.getJWTClaimsSet().getIssuer()).isEqualTo("https://id.example.com");
        assertThat(accessToken.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("service");

        if (linuxOnX86()) {
            // The launcher points the provider at lib/native: the library is mapped from there, not from a copy the
            // provider would otherwise unpack into the temporary directory at every start.
            String maps = Files.readString(Path.of("/proc", String.valueOf(server.pid()), "maps"));
            assertThat(maps).contains(app.resolve("lib/native/libamazonCorrettoCryptoProvider.so").toString())
                    .doesNotContain(tmp.toString());
        }

        server.destroy(); // SIGTERM
        assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s of SIGTERM").isTrue();
        String output = Files.readString(log);
        assertThat(server.exitValue()).as(output).isZero(); // drained, then a clean exit (not the JVM's 143)
        assertThat(output).doesNotContain("Exception", "ERROR", SERVICE_SECRET);
        if (linuxOnX86()) {
            assertThat(output).contains("token signatures use Amazon Corretto Crypto Provider");
        }

        assertThat(snapshot(app, etc, keys)).as("nothing written to the unpacked archive, config or keys")
                .isEqualTo(before);
        try (Stream<Path> inHome = Files.list(home)) {
            assertThat(inHome).as("nothing written to HOME").isEmpty();
        }
        try (Stream<Path> inData = Files.list(data)) {
            assertThat(inData).as("the store lives on the data volume").isNotEmpty();
        }
    }

    private static boolean linuxOnX86() {
        return "amd64".equals(System.getProperty("os.arch")) && "Linux".equals(System.getProperty("os.name"));
    }

    private Path unpack() throws Exception {
        Path archive = Path.of(System.getProperty("tessera.archive", "target/tessera-unknown.tar.gz"));
        assertThat(archive).as("built at package; run through ./mvnw verify").isRegularFile();
        run(List.of("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", base.toString()), base, Map.of());
        Path app = base.resolve("tessera-" + System.getProperty("tessera.version"));
        assertThat(app.resolve("bin/tessera")).isExecutable();
        assertThat(app.resolve("lib/tessera.jar")).isRegularFile();
        // No jar in lib/ is signed: a start would check each signature, and class-data sharing skips signed jars.
        try (Stream<Path> jars = Files.list(app.resolve("lib"))) {
            for (Path jar : jars.filter(path -> path.toString().endsWith(".jar")).toList()) {
                try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
                    assertThat(file.stream().map(java.util.zip.ZipEntry::getName))
                            .as(jar.getFileName().toString())
                            .noneMatch(name -> name.startsWith("META-INF/") && name.endsWith(".SF"));
                }
            }
        }
        assertThat(app.resolve("lib/AmazonCorrettoCryptoProvider-" + System.getProperty("accp.version")
                + "-linux-x86_64.jar")).isRegularFile();
        return app;
    }

    /** The shipped example with only what differs on this machine changed; its clients, tokens and the rest stay. */
    private static String adaptedExample(Path example, Path data, Path keys) throws IOException {
        ObjectNode yaml = (ObjectNode) YAML.readTree(example.toFile());
        ((ObjectNode) yaml.path("http")).put("host", "127.0.0.1").put("port", 0);
        yaml.remove("metrics"); // /metrics on the main listener: no second fixed port to collide on
        yaml.putObject("storage").put("type", "h2").put("path", data.resolve("tessera").toString());
        ((ObjectNode) yaml.path("keys")).put("dir", keys.toString());
        ObjectNode service = ((ArrayNode) yaml.path("clients")).addObject();
        service.put("id", "service").put("name", "Backend Service").put("secret", "${SERVICE_SECRET}");
        service.putArray("grantTypes").add("client_credentials");
        service.putArray("scopes").add("api.read");
        return YAML.writeValueAsString(yaml);
    }

    private static int awaitPort(Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            Matcher serving = SERVING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (serving.find()) {
                return Integer.parseInt(serving.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not say where it listens within 60 s:\n" + Files.readString(log));
    }

    private void awaitReady(URI root, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            assertThat(server.isAlive()).as(() -> "exited before it was ready:\n" + read(log)).isTrue();
            if (get(root.resolve("readyz")).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("/readyz did not answer 200 within 30 s:\n" + read(log));
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Path, size, modification time and mode of every file and directory under the roots. */
    private static Map<String, String> snapshot(Path... roots) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (Path root : roots) {
            try (Stream<Path> all = Files.walk(root)) {
                for (Path path : (Iterable<Path>) all::iterator) {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                    files.put(path.toString(), attributes.size() + " " + attributes.lastModifiedTime() + " "
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
                }
            }
        }
        return files;
    }

    private static void run(List<String> command, Path dir, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(command + " finished").isTrue();
        assertThat(process.exitValue()).as(command + ":\n" + output).isZero();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
