package dev.tessera.server.http;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;
import dev.tessera.server.testsupport.ServerProcess;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM (what systemd and Kubernetes send to stop a service) drains instead of cutting requests off: /readyz
 * answers 503 at once, no new connection is accepted, every request already being served gets its complete answer,
 * and then the process exits with 0. The requests in flight are slow uploads, as from clients on a poor network:
 * each sends its token request one byte at a time, so it is inside the server, reading, when the signal arrives, and
 * still sending more than a second later.
 */
class ShutdownDrainTest {
    private static final String CLIENT = "drain-service";
    private static final String SECRET = "drain-secret-0123456789-0123456789-abcdef";
    private static final String BODY = "grant_type=client_credentials&scope=api.read";
    private static final int IN_FLIGHT = 8;
    private static final Duration BYTE_EVERY = Duration.ofMillis(60);
    private static final Duration EXIT_BOUND = Duration.ofSeconds(25);

    @TempDir
    Path dir;

    @Test
    void sigtermLetsEveryRequestInFlightFinishThenExitsWithZero() throws Exception {
        int port = TesseraTestServer.reservePort();
        try (ServerProcess server = ServerProcess.start(writeConfig(port), port)) {
            assertThat(server.tokenClient().token(CLIENT, SECRET,
                    java.util.Map.of("grant_type", "client_credentials", "scope", "api.read")).status()).isEqualTo(200);
            ExecutorService uploads = Executors.newFixedThreadPool(IN_FLIGHT);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                answers.add(uploads.submit(() -> slowTokenRequest(port)));
            }
            try (Socket probe = connect(port)) {
                assertThat(statusOf(probe, "GET /readyz")).isEqualTo(200);
                Thread.sleep(500); // every upload has sent its headers and a few bytes of its body

                long signalled = System.nanoTime();
                server.terminate();

                assertThat(readinessTurns503(probe)).as("/readyz on an open connection after SIGTERM").isTrue();
                assertThat(newConnectionsRefused(port)).as("a new connection after SIGTERM").isTrue();
                for (Future<String> answer : answers) {
                    String response = answer.get(30, TimeUnit.SECONDS);
                    assertThat(response).as("a request in flight at SIGTERM").startsWith("HTTP/1.1 200")
                            .contains("\"access_token\"");
                }
                uploads.shutdown();
                int exit = server.awaitExit(EXIT_BOUND);
                System.out.println("ShutdownDrainTest: " + IN_FLIGHT + " slow requests in flight completed; exit "
                        + exit + " " + Duration.ofNanos(System.nanoTime() - signalled).toMillis() + " ms after SIGTERM");
                assertThat(exit).as(server.logText()).isZero();
                assertThat(server.logText()).doesNotContain("Exception");
            }
        }
    }

    /**
     * {@code http.shutdownGrace} sets how long the drain waits. With 1 s, uploads that still need more than ten
     * seconds when SIGTERM arrives are cut off instead of answered, and the process exits with 0 long before they
     * would have finished (the default 20 s would wait for them). With 0 s nothing is waited for.
     */
    @ParameterizedTest(name = "http.shutdownGrace {0}")
    @ValueSource(strings = {"PT1S", "PT0S"})
    void aShortShutdownGraceCutsOffWhatIsStillRunningAndExitsWithZeroWhenItEnds(Duration grace) throws Exception {
        Duration byteEvery = Duration.ofMillis(300); // about 13.5 s for the whole request
        int port = TesseraTestServer.reservePort();
        try (ServerProcess server = ServerProcess.start(writeConfig(port, "  shutdownGrace: " + grace.toSeconds()
                + "s\n"), port)) {
            ExecutorService uploads = Executors.newFixedThreadPool(IN_FLIGHT);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                answers.add(uploads.submit(() -> slowTokenRequest(port, byteEvery)));
            }
            // Every upload connected and dispatched: 500 ms was once too short on a loaded machine (load 14), and
            // with nothing in flight the drain had nothing to cut off. The uploads still need 11 s after this.
            Thread.sleep(2000);

            long signalled = System.nanoTime();
            server.terminate();
            int exit = server.awaitExit(EXIT_BOUND);
            Duration exitedAfter = Duration.ofNanos(System.nanoTime() - signalled);

            System.out.println("ShutdownDrainTest: with http.shutdownGrace " + grace + " exit " + exit + " "
                    + exitedAfter.toMillis() + " ms after SIGTERM");
            assertThat(exit).as(server.logText()).isZero();
            assertThat(exitedAfter).as("the uploads needed about 13 s more").isLessThan(Duration.ofSeconds(10));
            if (grace.isZero()) {
                assertThat(exitedAfter).as("no grace: nothing waited for").isLessThan(Duration.ofSeconds(5));
            } else {
                assertThat(server.logText()).contains("were cut off");
            }
            for (Future<String> answer : answers) {
                String response;
                try {
                    response = answer.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException cutOff) {
                    response = "(" + cutOff.getCause() + ")"; // e.g. a broken pipe while still sending
                }
                assertThat(response).as("a request still running when the grace ended").doesNotContain("access_token");
            }
            uploads.shutdownNow();
        }
    }

    /** POST /token, the body one byte every {@link #BYTE_EVERY}: about 2.6 s for the whole request. */
    private static String slowTokenRequest(int port) throws IOException, InterruptedException {
        return slowTokenRequest(port, BYTE_EVERY);
    }

    private static String slowTokenRequest(int port, Duration byteEvery) throws IOException, InterruptedException {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /token HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Authorization: " + TokenClient.basic(CLIENT, SECRET) + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (byte b : BODY.getBytes(StandardCharsets.US_ASCII)) {
                Thread.sleep(byteEvery.toMillis());
                out.write(b);
                out.flush();
            }
            return readAll(socket.getInputStream());
        }
    }

    /**
     * Polls on the same connection until it stops saying ready: the signal takes a moment to arrive. A request
     * that reaches the server once the drain began hears 503; but Jetty's graceful stop closes a kept-alive
     * connection that is between two requests at that instant, and on a loaded machine the probe may be there (it
     * was, once, in a landing), so a connection the server closed is not ready either. Never 200 after that.
     */
    private static boolean readinessTurns503(Socket probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            int status;
            try {
                status = statusOf(probe, "GET /readyz");
            } catch (IOException closedByTheDrain) {
                System.out.println("ShutdownDrainTest: the drain closed the probe's idle connection ("
                        + closedByTheDrain.getMessage() + ") before it asked again");
                return true;
            }
            if (status == 503) {
                return true;
            }
            assertThat(status).isEqualTo(200);
            Thread.sleep(5);
        }
        return false;
    }

    private static boolean newConnectionsRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = connect(port)) {
                Thread.sleep(50);
            } catch (ConnectException refused) {
                return true;
            } catch (IOException other) {
                return false;
            }
        }
        return false;
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** One request on a kept-alive connection; reads exactly the answer's head and its Content-Length body. */
    private static int statusOf(Socket socket, String requestLine) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(head.substring(9, 12));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private Path writeConfig(int port) throws IOException {
        return writeConfig(port, "");
    }

    /** {@code http} holds extra lines for the http section. */
    private Path writeConfig(int port, String http) throws IOException {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        new KeyFileWriter(Clock.systemUTC()).generate(keys, JWSAlgorithm.RS256, 2048, Instant.EPOCH);
        String yaml = "issuer: http://127.0.0.1:" + port + "\n"
                + "http:\n  host: 127.0.0.1\n  port: " + port + "\n" + http
                + "storage:\n  type: h2\n  path: " + dir.resolve("data/tessera") + "\n"
                + "keys:\n  dir: " + keys + "\n"
                + "clients:\n"
                + "  - id: " + CLIENT + "\n"
                + "    name: Drain Test Service\n"
                + "    secret: " + SECRET + "\n"
                + "    grantTypes: [client_credentials]\n"
                + "    scopes: [api.read]\n";
        return Files.writeString(dir.resolve("tessera.yaml"), yaml);
    }
}
