package dev.tessera.server.cli;

import dev.tessera.server.bootstrap.TesseraApp;
import dev.tessera.server.config.ConfigLoader;
import dev.tessera.server.config.TesseraConfig;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code tessera cds-training} (hidden): the workload the launchers run under {@code -XX:DumpLoadedClassList} to
 * learn which classes a server start loads, for the class-data sharing archive that makes later starts fast. It
 * starts a throwaway server twice in a temporary directory (H2, a generated key, one client and one user): the
 * first start creates the store and key, the second opens them as a production restart does; then it sends the
 * second a few requests of each kind over loopback, stops it and deletes the directory. Nothing is kept.
 *
 * <p>The launchers run the two halves in two JVMs, {@code --prepare DIR} and then {@code --dir DIR} under
 * {@code -XX:DumpLoadedClassList}, so that the archive holds what a restart and its requests load and not what only
 * the first start of a new store needs (Flyway's migrations, key generation): every class in the archive costs
 * memory in every server, since the JVM relocates the whole archive at start.
 */
@Command(name = "cds-training", hidden = true,
        description = "Run a throwaway server through a start and a few requests (for the class-data sharing archive).")
public final class CdsTrainingCommand implements java.util.concurrent.Callable<Integer> {
    private static final int TIMEOUT_MILLIS = 10_000;

    @picocli.CommandLine.Option(names = "--prepare", paramLabel = "DIR",
            description = "only create the store and key in DIR (a new, empty directory) and stop")
    Path prepare;

    @picocli.CommandLine.Option(names = "--dir", paramLabel = "DIR",
            description = "only restart on the store and key that --prepare made in DIR and send the requests")
    Path existing;

    @Override
    public Integer call() throws IOException {
        if (prepare != null && existing != null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--prepare and --dir are two separate runs");
        }
        if (prepare != null) {
            TesseraApp.start(config(prepare, random()), Clock.systemUTC()).close(); // creates the store and the key
            return 0;
        }
        if (existing != null) {
            restartAndExercise(existing);
            return 0;
        }
        Path dir = Files.createTempDirectory("tessera-cds-training");
        try {
            TesseraApp.start(config(dir, random()), Clock.systemUTC()).close(); // creates the store and the key
            restartAndExercise(dir);
            return 0;
        } finally {
            deleteTree(dir);
        }
    }

    // Opens the existing store and key as a production restart does, then sends it a few requests of each kind.
    private static void restartAndExercise(Path dir) throws IOException {
        String secret = random();
        try (TesseraApp app = TesseraApp.start(config(dir, secret), Clock.systemUTC())) {
            exercise(URI.create("http://127.0.0.1:" + app.port()), secret);
        }
    }

    private static TesseraConfig config(Path dir, String secret) throws IOException {
        return ConfigLoader.parse(yaml(dir, freeLoopbackPort()), Map.of("CDS_SECRET", secret, "CDS_PASSWORD", random()));
    }

    private static String yaml(Path dir, int port) {
        String base = dir.toAbsolutePath().toString().replace("'", "''");
        return String.join("\n",
                "issuer: http://127.0.0.1:" + port,
                "http: { host: 127.0.0.1, port: " + port + " }",
                "storage: { type: h2, path: '" + base + "/data/tessera' }",
                "keys: { dir: '" + base + "/keys', generate: true }",
                "clients:",
                "  - id: training",
                "    secret: ${CDS_SECRET}",
                "    redirectUris: [http://127.0.0.1/callback]",
                "    grantTypes: [authorization_code, refresh_token, client_credentials]",
                "    scopes: [openid, offline_access, api.read]",
                "    audience: [https://api.example.com]",
                "users:",
                "  - username: training-user",
                "    password: ${CDS_PASSWORD}",
                "");
    }

    // Answers are read and thrown away: only the code paths they take matter here.
    private static void exercise(URI base, String secret) throws IOException {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("training:" + secret).getBytes(StandardCharsets.UTF_8));
        for (String path : new String[] {"/readyz", "/healthz", "/.well-known/openid-configuration",
                "/.well-known/oauth-authorization-server", "/.well-known/jwks.json", "/metrics",
                "/authorize?response_type=code&client_id=training&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback"
                        + "&scope=openid&state=s&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                        + "&code_challenge_method=S256",
                "/authorize?client_id=unknown", "/no-such-page"}) {
            send(base.resolve(path), "GET", null, null);
        }
        for (int i = 0; i < 20; i++) {
            String tokens = send(base.resolve("/token"), "POST", basic, "grant_type=client_credentials&scope=api.read");
            int start = tokens.indexOf("\"access_token\":\"");
            if (start >= 0) {
                String token = tokens.substring(start + 16, tokens.indexOf('"', start + 16));
                send(base.resolve("/introspect"), "POST", basic, "token=" + token);
                send(base.resolve("/revoke"), "POST", basic, "token=" + token);
            }
        }
        send(base.resolve("/token"), "POST", basic, "grant_type=refresh_token&refresh_token=unknown");
        send(base.resolve("/token"), "POST", null, "grant_type=client_credentials");
        send(base.resolve("/userinfo"), "GET", "Bearer not-a-token", null);
    }

    private static String send(URI uri, String method, String authorization, String form) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(TIMEOUT_MILLIS);
        connection.setReadTimeout(TIMEOUT_MILLIS);
        connection.setInstanceFollowRedirects(false);
        connection.setRequestMethod(method);
        if (authorization != null) {
            connection.setRequestProperty("Authorization", authorization);
        }
        if (form != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(form.getBytes(StandardCharsets.UTF_8));
            }
        }
        try (InputStream in = connection.getResponseCode() < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
