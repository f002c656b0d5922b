package dev.tessera.server.infrastructure.store;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.infrastructure.keys.KeyFileWriter;
import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.ServerProcess;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §8: "a crash at any point loses no issued refresh token". A real server process rotates refresh tokens
 * for several clients at once, is killed with SIGKILL mid-stream, and is started again on the same store;
 * every refresh token a client had received must still work, and the restarted server must answer at all.
 * The reuse grace is on, so a rotation that was committed but whose response the kill swallowed is retried
 * like any lost response (SPEC §4).
 *
 * <p>Each run kills the server {@code tessera.test.crashCycles} times (default {@value #DEFAULT_CYCLES}) on the
 * same store, each time after a random number of rotations; the seed is printed and can be replayed with
 * {@code -Dtessera.test.crashSeed=N}. A longer run, e.g. {@code -Dtessera.test.crashCycles=40}, is the proof
 * before trusting a change to the store or to H2.
 */
class RefreshRotationCrashTest {
    static final int DEFAULT_CYCLES = 2;
    private static final int CYCLES = Integer.getInteger("tessera.test.crashCycles", DEFAULT_CYCLES);
    private static final int FAMILIES = 8;
    private static final int MAX_ROTATIONS_BEFORE_KILL = 400;
    private static final String CLIENT = "crash-app";
    private static final String SECRET = "crash-secret-0123456789-0123456789-abcdef";
    private static final String REDIRECT = "https://app.example.test/callback";
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;

    // H2 passes only with H2CrashRecovery: without it, 2.5.252 reopened a killed store at an older version (4 and
    // 8 families' newest tokens gone, in 2 of 59 kills) or left a half-applied commit's rows locked (1 of 40 kills;
    // the restarted server hangs on that family). 40 cycles in a row passed with it.
    @Test
    void everyRefreshTokenReturnedBeforeAKillStillWorksAfterARestartOnH2() throws Exception {
        assertSurvivesKills("storage:\n  type: h2\n  path: " + dir.resolve("data/tessera") + "\n");
    }

    @Test
    void everyRefreshTokenReturnedBeforeAKillStillWorksAfterARestartOnPostgres() throws Exception {
        PostgresTestDatabase.Server postgres = PostgresTestDatabase.server();
        String url = postgres.urlForSchema("crash_" + UUID.randomUUID().toString().replace("-", ""));
        assertSurvivesKills("storage:\n  type: postgres\n  url: \"" + url + "\"\n  username: " + postgres.username()
                + (postgres.password() == null ? "" : "\n  password: \"" + postgres.password() + "\"") + "\n");
    }

    private void assertSurvivesKills(String storage) throws Exception {
        long seed = Long.getLong("tessera.test.crashSeed", new SecureRandom().nextLong());
        System.out.println("RefreshRotationCrashTest: " + CYCLES + " cycles, -Dtessera.test.crashSeed=" + seed);
        Random random = new Random(seed);
        int port = TesseraTestServer.reservePort();
        Path config = writeConfig(port, storage);
        List<AtomicReference<String>> held = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(config, port)) {
            for (int i = 0; i < FAMILIES; i++) {
                TokenClient.Response tokens = Flows.codeFlow(server.userAgent(), server.tokenClient(), CLIENT, SECRET,
                        REDIRECT, "alice", PASSWORD, "openid offline_access");
                assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
                held.add(new AtomicReference<>(tokens.string("refresh_token")));
            }
            rotateUntilKilled(server, held, killAfter(random));
        }
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            try (ServerProcess restarted = ServerProcess.start(config, port)) {
                List<String> lost = everyHeldTokenWorks(restarted, held);
                assertThat(lost).as("cycle %d of %d (seed %d): families whose last received refresh token failed "
                        + "after a kill", cycle, CYCLES, seed).isEmpty();
                if (cycle < CYCLES) {
                    rotateUntilKilled(restarted, held, killAfter(random));
                }
            }
        }
    }

    private static int killAfter(Random random) {
        return FAMILIES + random.nextInt(MAX_ROTATIONS_BEFORE_KILL - FAMILIES);
    }

    /**
     * Presents each family's last received token once, keeping the successor. A server that does not answer
     * (H2 once spun forever on a row a crash left locked) fails at the first family, with a thread dump.
     */
    private static List<String> everyHeldTokenWorks(ServerProcess server, List<AtomicReference<String>> held) {
        List<String> lost = new ArrayList<>();
        TokenClient client = server.tokenClient();
        for (int i = 0; i < FAMILIES; i++) {
            TokenClient.Response refreshed;
            try {
                refreshed = refresh(client, held.get(i).get());
            } catch (IllegalStateException noAnswer) {
                System.out.println(server.threadDump());
                lost.add("family " + i + ": the restarted server did not answer: " + noAnswer);
                return lost;
            }
            if (refreshed.status() == 200) {
                held.get(i).set(refreshed.string("refresh_token"));
            } else {
                lost.add("family " + i + ": " + refreshed.status() + " " + refreshed.body());
            }
        }
        return lost;
    }

    /** One thread per family rotates as fast as it can; the server is killed while they do. */
    private static void rotateUntilKilled(ServerProcess server, List<AtomicReference<String>> held, int killAfter)
            throws Exception {
        AtomicInteger rotations = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(FAMILIES);
        List<Future<String>> outcomes = new ArrayList<>();
        for (AtomicReference<String> token : held) {
            outcomes.add(threads.submit(() -> {
                TokenClient client = server.tokenClient();
                while (true) {
                    TokenClient.Response response;
                    try {
                        response = refresh(client, token.get());
                    } catch (IllegalStateException connectionLost) {
                        return killed.get() ? null : "lost the connection before the kill: " + connectionLost;
                    }
                    if (response.status() != 200) {
                        return killed.get() ? null : "refresh failed before the kill: " + response.body();
                    }
                    // The client now holds only the successor: this is the token that must survive.
                    token.set(response.string("refresh_token"));
                    rotations.incrementAndGet();
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rotations.get() < killAfter && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        killed.set(true);
        server.kill();
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (Future<String> outcome : outcomes) {
            assertThat(outcome.get()).isNull();
        }
        assertThat(rotations.get()).as("rotations before the kill").isGreaterThanOrEqualTo(FAMILIES);
    }

    private static TokenClient.Response refresh(TokenClient client, String refreshToken) {
        return client.token(CLIENT, SECRET, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    private Path writeConfig(int port, String storage) throws IOException {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        new KeyFileWriter(Clock.systemUTC()).generate(keys, JWSAlgorithm.RS256, 2048, Instant.EPOCH);
        String yaml = "issuer: http://127.0.0.1:" + port + "\n"
                + "http:\n  host: 127.0.0.1\n  port: " + port + "\n"
                + storage
                + "keys:\n  dir: " + keys + "\n"
                + "tokens:\n  refreshTokenReuseGrace: 60s\n"
                + "clients:\n"
                + "  - id: " + CLIENT + "\n"
                + "    name: Crash Test App\n"
                + "    secret: " + SECRET + "\n"
                + "    redirectUris: [" + REDIRECT + "]\n"
                + "    grantTypes: [authorization_code, refresh_token]\n"
                + "    scopes: [openid, offline_access]\n"
                + "    consent: skip\n"
                + "users:\n"
                + "  - username: alice\n"
                + "    password: " + PASSWORD + "\n";
        return Files.writeString(dir.resolve("tessera.yaml"), yaml);
    }
}
