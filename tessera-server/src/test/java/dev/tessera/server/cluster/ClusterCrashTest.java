package dev.tessera.server.cluster;

import dev.tessera.server.cli.TesseraCommand;
import dev.tessera.server.domain.token.TokenHash;
import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.ServerCluster;
import dev.tessera.server.testsupport.ServerProcess;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.tessera.server.cluster.ClusterSetup.ALICE;
import static dev.tessera.server.cluster.ClusterSetup.ALICE_PASSWORD;
import static dev.tessera.server.cluster.ClusterSetup.WEB;
import static dev.tessera.server.cluster.ClusterSetup.WEB_REDIRECT;
import static dev.tessera.server.cluster.ClusterSetup.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §8, issue 10 "crash and outage safety", for a cluster: three instances on one PostgreSQL serve client
 * threads that rotate refresh tokens and redeem codes, each code at two instances at once; one instance is
 * killed with SIGKILL at a random moment, the clients carry on at the other two (as behind a load balancer), and
 * the killed one is started again. Then:
 * <ul>
 *     <li>no code was redeemed twice: at most one 200 per code over both racing attempts, exactly one when
 *     neither attempt was lost in the kill, and at most one refresh token in the store from any code (which also
 *     counts a redemption whose response the kill swallowed);</li>
 *     <li>every refresh token a client received still works, at the survivors and at the restarted instance (a
 *     rotation whose response the kill swallowed is retried at another instance within the reuse grace, as a
 *     client whose response was lost does);</li>
 *     <li>codes the killed instance issued and never redeemed are redeemed at another;</li>
 *     <li>the restarted instance serves.</li>
 * </ul>
 * The seed (which instance, after how many operations) is printed; replay it with
 * {@code -Dtessera.test.clusterCrashSeed=N}. Which request is in flight at the kill still depends on timing.
 */
class ClusterCrashTest {
    private static final int INSTANCES = 3;
    private static final int FAMILIES = 6;
    private static final int CODE_THREADS = 3;
    private static final int SPARE_CODES = 3;
    private static final int MIN_OPERATIONS_BEFORE_KILL = 30;
    private static final int MAX_OPERATIONS_BEFORE_KILL = 200;
    private static final int OPERATIONS_AFTER_KILL = 40;
    private static final long LOAD_DEADLINE_SECONDS = 120;

    @TempDir
    Path dir;

    private ClusterSetup setup;
    private ServerCluster cluster;
    private final AtomicInteger dead = new AtomicInteger(-1);
    private final AtomicInteger operations = new AtomicInteger();
    private final AtomicInteger lostInTheKill = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Race> races = new ConcurrentLinkedQueue<>();

    /** How one redemption attempt ended, as the client saw it. */
    private sealed interface Attempt {
        record Redeemed(int at, String refreshToken) implements Attempt { }

        record Refused(int at, String error) implements Attempt { }

        /** The connection to the killed instance broke: whether the server redeemed it is unknown to the client. */
        record Lost(int at) implements Attempt { }

        record Unexpected(int at, int status, String body) implements Attempt { }
    }

    private record Race(String code, Attempt first, Attempt second) {
        List<Attempt> attempts() {
            return List.of(first, second);
        }

        long count(Class<? extends Attempt> kind) {
            return attempts().stream().filter(kind::isInstance).count();
        }
    }

    private record Code(String value, String verifier) { }

    private final long started = System.nanoTime();

    /** Where the time goes, for whoever has to keep this test short. */
    private void phase(String name) {
        System.out.printf("ClusterCrashTest: %-40s at %5.1f s%n", name, (System.nanoTime() - started) / 1e9);
    }

    @Test
    void killingAnInstanceUnderLoadLosesNoRefreshTokenAndNeverLetsACodeBeRedeemedTwice() throws Exception {
        long seed = Long.getLong("tessera.test.clusterCrashSeed", new SecureRandom().nextLong());
        Random random = new Random(seed);
        int victim = random.nextInt(INSTANCES);
        int killAfter = MIN_OPERATIONS_BEFORE_KILL + random.nextInt(MAX_OPERATIONS_BEFORE_KILL - MIN_OPERATIONS_BEFORE_KILL);
        System.out.println("ClusterCrashTest: kill -9 of instance " + victim + " after " + killAfter
                + " operations; replay with -Dtessera.test.clusterCrashSeed=" + seed);
        setup = new ClusterSetup(dir, INSTANCES, "", "  refreshTokenReuseGrace: 60s\n  authorizationCodeTtl: 10m\n", "", "");
        provisionAKeyWithTheCli();
        phase("key provisioned");
        cluster = ServerCluster.start(setup.configs, setup.ports);
        phase("three instances ready");
        try {
            List<UserAgent> browsers = new ArrayList<>();
            for (int i = 0; i < CODE_THREADS; i++) {
                browsers.add(signedIn(i % INSTANCES));
            }
            List<AtomicReference<String>> held = new ArrayList<>();
            for (int i = 0; i < FAMILIES; i++) {
                Code code = code(browsers.get(0), i % INSTANCES);
                TokenClient.Response tokens = redeem(cluster.get((i + 1) % INSTANCES), code);
                assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
                held.add(new AtomicReference<>(tokens.string("refresh_token")));
            }

            phase("families and sessions made");
            List<Code> spares = runLoadAndKill(victim, killAfter, seed, held, browsers);
            phase("load over");

            ExecutorService restarter = Executors.newSingleThreadExecutor();
            Future<ServerProcess> restarted = restarter.submit(() -> cluster.restart(victim));
            try {
                assertNothingWentWrongUnderLoad();
                assertNoCodeWasRedeemedTwice();
                assertEveryHeldRefreshTokenWorksAt(survivor(victim), held);
                for (Code spare : spares) {
                    TokenClient.Response redeemed = redeem(cluster.get(survivor(victim)), spare);
                    assertThat(redeemed.status()).as("a code the killed instance issued: " + redeemed.body())
                            .isEqualTo(200);
                }
                phase("survivors checked");
                restarted.get(180, TimeUnit.SECONDS);
                phase("killed instance restarted");
            } finally {
                restarter.shutdownNow();
            }

            assertEveryHeldRefreshTokenWorksAt(victim, held);
            TokenClient.Response fromRestarted = redeem(cluster.get(survivor(victim)), code(browsers.get(1), victim));
            assertThat(fromRestarted.status()).as("a code issued by the restarted instance: " + fromRestarted.body())
                    .isEqualTo(200);
            TokenClient.Response atRestarted = redeem(cluster.get(victim), code(browsers.get(2), survivor(victim)));
            assertThat(atRestarted.status()).as("redeemed at the restarted instance: " + atRestarted.body())
                    .isEqualTo(200);
            phase("restarted instance checked");
        } catch (AssertionError | RuntimeException e) {
            System.out.println("ClusterCrashTest failed with seed " + seed + "\n" + cluster.logs());
            throw e;
        } finally {
            cluster.close();
        }
    }

    /**
     * Family threads rotate their refresh token at a random live instance; code threads get a code at a random
     * live instance and redeem it at two different instances at once. After {@code killAfter} operations the
     * victim issues a few spare codes and is killed; the load goes on at the others for a while.
     */
    private List<Code> runLoadAndKill(int victim, int killAfter, long seed, List<AtomicReference<String>> held,
                                      List<UserAgent> browsers) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(FAMILIES + CODE_THREADS);
        ExecutorService racers = Executors.newFixedThreadPool(2 * CODE_THREADS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < FAMILIES; i++) {
            AtomicReference<String> token = held.get(i);
            Random random = new Random(seed + i);
            int family = i;
            running.add(clients.submit(() -> rotateUntilStopped(family, token, random)));
        }
        for (int i = 0; i < CODE_THREADS; i++) {
            UserAgent browser = browsers.get(i);
            Random random = new Random(seed + FAMILIES + i);
            running.add(clients.submit(() -> redeemCodesUntilStopped(browser, random, racers)));
        }
        List<Code> spares = new ArrayList<>();
        try {
            awaitOperations(killAfter);
            for (int i = 0; i < SPARE_CODES; i++) {
                spares.add(code(browsers.get(i % CODE_THREADS), victim));
            }
            dead.set(victim); // from now on the clients (the load balancer) send nothing new to it
            cluster.kill(victim);
            int atKill = operations.get();
            awaitOperations(atKill + OPERATIONS_AFTER_KILL);
            System.out.println("ClusterCrashTest: " + atKill + " operations before the kill, "
                    + (operations.get() - atKill) + " after, " + lostInTheKill.get() + " requests lost in it, "
                    + races.size() + " codes raced");
        } finally {
            stop.set(true);
            clients.shutdown();
            boolean finished = clients.awaitTermination(60, TimeUnit.SECONDS);
            racers.shutdown(); // only now: the code threads hand their races to it until they stop
            racers.awaitTermination(60, TimeUnit.SECONDS);
            assertThat(finished).as("client threads finished").isTrue();
        }
        for (Future<?> thread : running) {
            thread.get(); // a thread that threw fails the test with its exception
        }
        return spares;
    }

    private void rotateUntilStopped(int family, AtomicReference<String> token, Random random) {
        while (!stop.get()) {
            int at = pickLive(random);
            TokenClient.Response response;
            try {
                response = refresh(cluster.get(at), token.get());
            } catch (IllegalStateException connectionLost) {
                if (dead.get() != at) {
                    failures.add("family " + family + ": lost the connection to live instance " + at + ": " + connectionLost);
                    return;
                }
                lostInTheKill.incrementAndGet(); // retried at another instance with the same token
                continue;
            }
            if (response.status() != 200) {
                failures.add("family " + family + ": refresh at instance " + at + " answered " + response.status() + " "
                        + response.body());
                return;
            }
            token.set(response.string("refresh_token")); // the only token this client now holds
            operations.incrementAndGet();
        }
    }

    private void redeemCodesUntilStopped(UserAgent browser, Random random, ExecutorService racers) {
        while (!stop.get()) {
            int issuer = pickLive(random);
            Code code;
            try {
                code = code(browser, issuer);
            } catch (IllegalStateException connectionLost) {
                if (dead.get() != issuer) {
                    failures.add("lost the connection to live instance " + issuer + " at /authorize: " + connectionLost);
                    return;
                }
                continue;
            }
            // Two instances, chosen before the kill may make one of them dead: racing at a dying instance is the point.
            int first = random.nextInt(INSTANCES);
            int second = (first + 1 + random.nextInt(INSTANCES - 1)) % INSTANCES;
            if (dead.get() == first || dead.get() == second) {
                first = survivorOtherThan(dead.get(), -1);
                second = survivorOtherThan(dead.get(), first);
            }
            CountDownLatch go = new CountDownLatch(1);
            int a = first;
            int b = second;
            CompletableFuture<Attempt> one = CompletableFuture.supplyAsync(() -> attempt(a, code, go), racers);
            CompletableFuture<Attempt> two = CompletableFuture.supplyAsync(() -> attempt(b, code, go), racers);
            go.countDown();
            races.add(new Race(code.value(), one.join(), two.join()));
            operations.incrementAndGet();
        }
    }

    private Attempt attempt(int at, Code code, CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        TokenClient.Response response;
        try {
            response = redeem(cluster.get(at), code);
        } catch (IllegalStateException connectionLost) {
            if (dead.get() == at) {
                lostInTheKill.incrementAndGet();
                return new Attempt.Lost(at);
            }
            return new Attempt.Unexpected(at, 0, "lost the connection to a live instance: " + connectionLost);
        }
        if (response.status() == 200) {
            return new Attempt.Redeemed(at, response.string("refresh_token"));
        }
        if (response.status() == 400) {
            return new Attempt.Refused(at, response.error());
        }
        return new Attempt.Unexpected(at, response.status(), response.body());
    }

    private void assertNothingWentWrongUnderLoad() {
        assertThat(failures).as("client threads' failures").isEmpty();
        assertThat(races).flatExtracting(Race::attempts).filteredOn(Attempt.Unexpected.class::isInstance)
                .as("redemptions answered with neither a token nor invalid_grant").isEmpty();
        assertThat(races.size()).as("codes raced").isPositive();
    }

    private void assertNoCodeWasRedeemedTwice() throws SQLException {
        List<String> twice = new ArrayList<>();
        List<String> neither = new ArrayList<>();
        for (Race race : races) {
            long redeemed = race.count(Attempt.Redeemed.class);
            if (redeemed > 1) {
                twice.add(race.toString());
            }
            if (race.count(Attempt.Lost.class) == 0 && (redeemed != 1 || race.count(Attempt.Refused.class) != 1)) {
                neither.add(race.toString());
            }
        }
        assertThat(twice).as("codes redeemed twice (two 200s)").isEmpty();
        assertThat(neither).as("races with no lost attempt must have exactly one winner and one invalid_grant")
                .isEmpty();
        for (Race race : races) {
            for (Attempt attempt : race.attempts()) {
                if (attempt instanceof Attempt.Refused refused) {
                    assertThat(refused.error()).isEqualTo("invalid_grant");
                }
            }
        }
        // Including redemptions whose answer the kill swallowed: each one stored the first refresh token of
        // its grant, so a code redeemed twice would leave two.
        try (Connection db = setup.postgres.connect(); PreparedStatement count = db.prepareStatement(
                "SELECT count(*) FROM " + setup.table("refresh_tokens") + " r JOIN " + setup.table("authorization_codes")
                        + " c ON c.grant_id = r.grant_id WHERE c.hash = ?")) {
            List<String> stored = new ArrayList<>();
            for (Race race : races) {
                count.setString(1, TokenHash.of(race.code()).value());
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) > 1) {
                        stored.add(race + ": " + rows.getInt(1) + " refresh tokens");
                    }
                }
            }
            assertThat(stored).as("codes whose grant holds more than one refresh token").isEmpty();
        }
        // RFC 6749 §4.1.2: the losing attempt (a replay as far as the server can tell) revoked what the winner got.
        for (Race race : races) {
            if (race.count(Attempt.Lost.class) == 0) {
                Attempt.Redeemed winner = (Attempt.Redeemed) race.attempts().stream()
                        .filter(Attempt.Redeemed.class::isInstance).findFirst().orElseThrow();
                TokenClient.Response refreshed = refresh(cluster.get(survivor(dead.get())), winner.refreshToken());
                assertThat(refreshed.error()).as("the winner's refresh token after the replay").isEqualTo("invalid_grant");
            }
        }
    }

    private void assertEveryHeldRefreshTokenWorksAt(int instance, List<AtomicReference<String>> held) {
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            TokenClient.Response refreshed = refresh(cluster.get(instance), held.get(i).get());
            if (refreshed.status() == 200) {
                held.get(i).set(refreshed.string("refresh_token"));
            } else {
                lost.add("family " + i + ": " + refreshed.status() + " " + refreshed.body());
            }
        }
        assertThat(lost).as("families whose last received refresh token failed at instance " + instance).isEmpty();
    }

    private void awaitOperations(int target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_DEADLINE_SECONDS);
        while (operations.get() < target && failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(failures).as("client threads' failures").isEmpty();
        assertThat(operations.get()).as("operations done within " + LOAD_DEADLINE_SECONDS + " s").isGreaterThanOrEqualTo(target);
    }

    private int pickLive(Random random) {
        int down = dead.get();
        if (down < 0) {
            return random.nextInt(INSTANCES);
        }
        int pick = random.nextInt(INSTANCES - 1);
        return pick >= down ? pick + 1 : pick;
    }

    private static int survivor(int down) {
        return survivorOtherThan(down, -1);
    }

    /** The lowest instance that is neither {@code down} nor {@code taken}. */
    private static int survivorOtherThan(int down, int taken) {
        for (int i = 0; i < INSTANCES; i++) {
            if (i != down && i != taken) {
                return i;
            }
        }
        throw new IllegalStateException("no instance left");
    }

    /** {@code keys generate --config}: a 2048-bit key in the empty store, so start-up generates nothing. */
    private void provisionAKeyWithTheCli() {
        StringWriter out = new StringWriter();
        CommandLine cli = TesseraCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int exit = cli.execute("keys", "generate", "--config", setup.configs.get(0).toString(), "--bits", "2048");
        assertThat(exit).as(out.toString()).isZero();
    }

    /** A browser session started at {@code instance}, which every instance honours. */
    private UserAgent signedIn(int instance) {
        UserAgent browser = new UserAgent(cluster.get(instance).uri());
        HttpResponse<String> redirect = browser.signInAndAllow(authorizeQuery(Pkce.generate()), ALICE, ALICE_PASSWORD);
        assertThat(redirect.headers().firstValue("Location")).as(redirect.body()).isPresent();
        return browser;
    }

    /** A code from {@code instance} for the signed-in {@code browser}, without the password again. */
    private Code code(UserAgent browser, int instance) {
        Pkce pkce = Pkce.generate();
        HttpResponse<String> redirect = browser.at(cluster.get(instance).uri()).get("/authorize?" + authorizeQuery(pkce));
        String location = redirect.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError(redirect.statusCode() + " " + redirect.body()));
        String code = UserAgent.queryOf(location).get("code");
        if (code == null) {
            throw new AssertionError("no code in " + location);
        }
        return new Code(code, pkce.verifier());
    }

    private static String authorizeQuery(Pkce pkce) {
        return "response_type=code&client_id=" + WEB + "&scope=" + enc("openid profile offline_access") + "&state=s"
                + "&redirect_uri=" + enc(WEB_REDIRECT) + "&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256";
    }

    private static TokenClient.Response redeem(ServerProcess at, Code code) {
        return at.tokenClient().token(WEB, WEB_SECRET, Map.of("grant_type", "authorization_code", "code", code.value(),
                "redirect_uri", WEB_REDIRECT, "code_verifier", code.verifier()));
    }

    private static TokenClient.Response refresh(ServerProcess at, String refreshToken) {
        return at.tokenClient().token(WEB, WEB_SECRET, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
