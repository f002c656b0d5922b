package dev.tessera.server.cluster;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.cli.TesseraCommand;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.testsupport.ClientKeys;
import dev.tessera.server.testsupport.PartnerIdp;
import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.ServerCluster;
import dev.tessera.server.testsupport.ServerProcess;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.tessera.server.cluster.ClusterSetup.ALICE;
import static dev.tessera.server.cluster.ClusterSetup.ALICE_PASSWORD;
import static dev.tessera.server.cluster.ClusterSetup.SERVICE;
import static dev.tessera.server.cluster.ClusterSetup.SERVICE_SECRET;
import static dev.tessera.server.cluster.ClusterSetup.WEB;
import static dev.tessera.server.cluster.ClusterSetup.WEB_REDIRECT;
import static dev.tessera.server.cluster.ClusterSetup.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §8, issue 10 "many instances as one": three real Tessera processes (A, B, C) on one PostgreSQL, each on
 * its own port, with the same issuer and the keys in the store, behave as one server for every piece of state a
 * user's next request may land on another instance with: codes, refresh families, revocations, the login
 * throttle, used client-assertion and ID-JAG {@code jti}s, and the signing keys. The three start together on an empty
 * database, once for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);
    /** keys.rotation: the defaults' period and the shortest pre-publication the configuration accepts. */
    private static final Duration ROTATE_EVERY = Duration.ofDays(90);
    private static final Duration PRE_PUBLISH = Duration.ofMinutes(5);
    /** How long one instance may take to generate a 4096-bit RSA key in a child JVM on a loaded machine. */
    private static final Duration GENERATION = Duration.ofMinutes(2);
    /** Generous: three JVMs share two loaded cores, so "within the reload interval" gets this much slack. */
    private static final Duration SLACK = Duration.ofSeconds(20);
    private static final String KEYED = "keyed";
    private static final String CAROL = "carol";
    private static final String CAROL_PASSWORD = "carol's correct password";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String AGENT = "agent";
    private static final String AGENT_SECRET = "agent-secret-0123456789-0123456789-abcdef";
    private static final String DAVE = "dave";
    /** Dave's account at the partner IdP, linked to the local dave. */
    private static final String DAVE_THERE = "00u-dave";
    private static final Pattern ALERT = Pattern.compile("<div[^>]*role=\"alert\"[^>]*>(.*?)</div>", Pattern.DOTALL);
    private static final Pattern WAIT = Pattern.compile("Try again in (\\d+)\u00A0seconds?\\.");

    @TempDir
    static Path dir;
    static ClusterSetup setup;
    static ServerCluster cluster;
    static ServerProcess a;
    static ServerProcess b;
    static ServerProcess c;
    static RSAKey keyedClientKey = ClientKeys.newRsa("keyed-client-key");
    /** A trusted issuer of ID-JAGs for the jwt-bearer grant; its JWKS is served from this JVM. */
    static PartnerIdp partner;
    static Map<Integer, Set<String>> kidsAtStart = new LinkedHashMap<>();

    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null) {
                System.out.println(cluster.logs());
            }
        }
    };

    @BeforeAll
    static void startThreeInstancesTogetherOnAnEmptyDatabase() {
        String publicJwks = new JWKSet(keyedClientKey.toPublicJWK()).toString();
        partner = PartnerIdp.start("https://idp.partner.test");
        setup = new ClusterSetup(dir, 3,
                "  generate: true\n  reloadInterval: " + RELOAD_INTERVAL.toSeconds() + "s\n"
                        + "  rotation: { every: " + ROTATE_EVERY.toDays() + "d, prePublish: " + PRE_PUBLISH.toMinutes()
                        + "m }\n",
                "",
                "  - id: " + KEYED + "\n"
                        + "    name: Cluster Test Keyed Client\n"
                        + "    tokenEndpointAuthMethod: private_key_jwt\n"
                        + "    jwks: " + publicJwks + "\n"
                        + "    grantTypes: [client_credentials]\n"
                        + "    scopes: [api.read]\n"
                        + "  - id: " + AGENT + "\n"
                        + "    name: Cluster Test Agent\n"
                        + "    secret: " + AGENT_SECRET + "\n"
                        + "    grantTypes: [\"" + JWT_BEARER + "\"]\n"
                        + "    scopes: [todo.read]\n",
                "  - username: " + CAROL + "\n    password: \"" + CAROL_PASSWORD + "\"\n"
                        + "  - username: " + DAVE + "\n    password: \"dave's unused password\"\n"
                        + "    links: [{ issuer: \"" + partner.issuer() + "\", subject: \"" + DAVE_THERE + "\" }]\n",
                "trustedIssuers:\n"
                        + "  - issuer: " + partner.issuer() + "\n"
                        + "    jwksUri: " + partner.jwksUri() + "\n"
                        + "    maxAssertionLifetime: 5m\n"
                        + "    allowedClients: [" + AGENT + "]\n");
        cluster = ServerCluster.start(setup.configs, setup.ports);
        a = cluster.get(0);
        b = cluster.get(1);
        c = cluster.get(2);
        for (int i = 0; i < 3; i++) {
            kidsAtStart.put(i, kids(cluster.get(i)));
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (partner != null) {
            partner.close();
        }
    }

    @Test
    @Order(1)
    void startedTogetherOnAnEmptyDatabaseTheyMadeOneFirstKeyAndAllPublishIt() {
        assertThat(kidsAtStart.get(0)).hasSize(1);
        assertThat(kidsAtStart.get(1)).isEqualTo(kidsAtStart.get(0));
        assertThat(kidsAtStart.get(2)).isEqualTo(kidsAtStart.get(0));
    }

    @Test
    @Order(2)
    void aCodeIssuedByAIsRedeemedAtBAndItsReplayAtCFailsAndRevokesWhatBIssued() {
        Code code = signInAndGetCode(new UserAgent(a.uri()));

        TokenClient.Response redeemed = redeem(b, code);
        assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(200);
        String accessToken = redeemed.string("access_token");
        assertThat(introspect(a, accessToken).json()).containsEntry("active", true);

        TokenClient.Response replayed = redeem(c, code);
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.error()).isEqualTo("invalid_grant");

        // RFC 6749 §4.1.2: what the first redemption issued is revoked, whichever instance is asked next.
        assertThat(introspect(a, accessToken).json()).containsEntry("active", false);
        assertThat(userinfo(c, accessToken)).isEqualTo(401);
        TokenClient.Response refreshed = refresh(a, redeemed.string("refresh_token"));
        assertThat(refreshed.status()).isEqualTo(400);
        assertThat(refreshed.error()).isEqualTo("invalid_grant");
    }

    @Test
    @Order(3)
    void aRefreshTokenRotatedAtAAndReplayedAtBRevokesTheFamilyEverywhere() {
        TokenClient.Response first = redeem(a, signInAndGetCode(new UserAgent(a.uri())));
        String oldRefresh = first.string("refresh_token");

        TokenClient.Response rotated = refresh(a, oldRefresh);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String newRefresh = rotated.string("refresh_token");
        String newAccess = rotated.string("access_token");
        assertThat(introspect(c, newAccess).json()).containsEntry("active", true);

        TokenClient.Response replayed = refresh(b, oldRefresh);
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.error()).isEqualTo("invalid_grant");

        TokenClient.Response successor = refresh(c, newRefresh);
        assertThat(successor.status()).as("the successor the thief could not have: revoked too").isEqualTo(400);
        assertThat(successor.error()).isEqualTo("invalid_grant");
        assertThat(introspect(c, newAccess).json()).containsEntry("active", false);
        assertThat(introspect(a, newRefresh).json()).containsEntry("active", false);
    }

    @Test
    @Order(3)
    void fiftyParallelUsesOfOneRefreshTokenAtTheThreeInstancesRotateItOnceAndRevokeTheFamily() throws Exception {
        String presented = redeem(a, signInAndGetCode(new UserAgent(a.uri()))).string("refresh_token");
        List<ServerProcess> instances = List.of(a, b, c);

        List<TokenClient.Response> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TokenClient.Response>> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ServerProcess at = instances.get(i % 3);
                sent.add(pool.submit(() -> {
                    go.await();
                    return refresh(at, presented);
                }));
            }
            go.countDown();
            for (Future<TokenClient.Response> answer : sent) {
                answers.add(answer.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }

        List<TokenClient.Response> rotated = answers.stream().filter(r -> r.status() == 200).toList();
        assertThat(rotated).as("answers with new tokens").hasSize(1);
        assertThat(answers).filteredOn(r -> r.status() != 200)
                .allSatisfy(r -> assertThat(r.error()).as(r.body()).isEqualTo("invalid_grant"));
        // The other 49 were reuse: what the one winner got is revoked with the family, at every instance.
        TokenClient.Response winner = rotated.get(0);
        assertThat(introspect(b, winner.string("access_token")).json()).containsEntry("active", false);
        assertThat(introspect(c, winner.string("refresh_token")).json()).containsEntry("active", false);
        assertThat(refresh(a, winner.string("refresh_token")).error()).isEqualTo("invalid_grant");
    }

    @Test
    @Order(4)
    void failedSignInsAtAAndBMakeCWaitAndItSaysForHowLong() {
        UserAgent atA = new UserAgent(a.uri());
        UserAgent atB = new UserAgent(b.uri());
        UserAgent atC = new UserAgent(c.uri());
        HttpResponse<String> pageA = loginPage(atA);
        HttpResponse<String> pageB = loginPage(atB);
        HttpResponse<String> pageC = loginPage(atC);
        // Five free attempts per username (LoginService.PER_USER), spent on two instances.
        for (int attempt = 1; attempt <= 3; attempt++) {
            pageA = failOnce(atA, pageA, "guess-a-" + attempt);
        }
        for (int attempt = 1; attempt <= 2; attempt++) {
            pageB = failOnce(atB, pageB, "guess-b-" + attempt);
        }

        // C has seen no failure itself: a count per instance would let it check four more passwords. The shared
        // count makes it wait; should the machine be so slow that a wait has passed, the attempt is counted and
        // the next wait is twice as long, so C must refuse long before its own fifth attempt.
        HttpResponse<String> answer = null;
        for (int attempt = 1; attempt <= 4; attempt++) {
            answer = atC.submit(pageC, Map.of("username", CAROL, "password", "guess-c-" + attempt));
            if (answer.statusCode() == 429) {
                break;
            }
            assertThat(alert(answer)).isEqualTo("That username and password didn't match. Please try again.");
            pageC = answer;
        }
        assertThat(answer.statusCode()).as("C throttles on failures counted at A and B").isEqualTo(429);
        String retryAfter = answer.headers().firstValue("Retry-After").orElseThrow();
        Matcher stated = WAIT.matcher(alert(answer));
        assertThat(stated.find()).as(alert(answer)).isTrue();
        assertThat(stated.group(1)).as("the page states the wait of Retry-After").isEqualTo(retryAfter);
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 8);

        // A wait, not a lock: once it is over, the right password works at any instance.
        Instant deadline = Instant.now().plusSeconds(Long.parseLong(retryAfter)).plus(SLACK);
        HttpResponse<String> signedIn;
        do {
            signedIn = atA.submit(pageA, Map.of("username", CAROL, "password", CAROL_PASSWORD));
            if (signedIn.statusCode() == 429) {
                pageA = signedIn;
                sleep(200);
            }
        } while (signedIn.statusCode() == 429 && Instant.now().isBefore(deadline));
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(UserAgent.queryOf(signedIn.headers().firstValue("Location").orElseThrow())).containsKey("code");
    }

    @Test
    @Order(5)
    void aClientAssertionUsedAtAIsRefusedAtBAndC() {
        Instant now = Instant.now();
        String assertion = ClientKeys.sign(keyedClientKey, JWSAlgorithm.RS256,
                ClientKeys.claims(KEYED, setup.issuer, now).build());

        TokenClient.Response first = withAssertion(a, assertion);
        assertThat(first.status()).as(first.body()).isEqualTo(200);

        for (ServerProcess other : List.of(b, c)) {
            TokenClient.Response again = withAssertion(other, assertion);
            assertThat(again.status()).isEqualTo(401);
            assertThat(again.error()).isEqualTo("invalid_client");
            assertThat(again.string("error_description")).contains("already used");
        }
        String fresh = ClientKeys.sign(keyedClientKey, JWSAlgorithm.RS256, ClientKeys.claims(KEYED, setup.issuer, now).build());
        assertThat(withAssertion(b, fresh).status()).as("a fresh jti works at B").isEqualTo(200);
    }

    @Test
    @Order(6)
    void aRevocationAtAIsSeenAtBAndCAtOnce() {
        TokenClient.Response tokens = redeem(b, signInAndGetCode(new UserAgent(b.uri())));
        String accessToken = tokens.string("access_token");
        String refreshToken = tokens.string("refresh_token");
        assertThat(introspect(b, accessToken).json()).containsEntry("active", true);
        assertThat(userinfo(c, accessToken)).isEqualTo(200);

        assertThat(revoke(a, accessToken, "access_token").status()).isEqualTo(200);

        assertThat(introspect(b, accessToken).json()).containsEntry("active", false);
        assertThat(userinfo(c, accessToken)).isEqualTo(401);
        assertThat(introspect(c, refreshToken).json()).as("an access token alone was revoked").containsEntry("active", true);

        assertThat(revoke(a, refreshToken, "refresh_token").status()).isEqualTo(200);

        assertThat(introspect(b, refreshToken).json()).containsEntry("active", false);
        TokenClient.Response refreshed = refresh(c, refreshToken);
        assertThat(refreshed.status()).isEqualTo(400);
        assertThat(refreshed.error()).isEqualTo("invalid_grant");
    }

    /**
     * {@code keys rotate} against the store, the new key signing at once: the first instance to load it signs with
     * it, and the other two must accept those tokens before their own reload (they look up an unknown kid in the
     * store); within the reload interval all three publish it and sign with it, and every token verifies against
     * every instance's JWKS.
     */
    @Test
    @Order(7)
    void aKeyRotatedWithTheCliIsSeenByAllThreeWithinTheReloadInterval() throws Exception {
        String oldKid = kidsAtStart.get(0).iterator().next();
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            before.add(serviceToken(cluster.get(i)));
            assertThat(kidOf(before.get(i))).isEqualTo(oldKid);
        }

        String newKid = rotateWithTheCli();
        Instant rotatedAt = Instant.now();

        int first = awaitInstance(i -> kids(cluster.get(i)).contains(newKid), Set.of(0, 1, 2));
        String early = serviceToken(cluster.get(first));
        assertThat(kidOf(early)).as("the new key signs from now").isEqualTo(newKid);
        for (int i = 0; i < 3; i++) {
            assertThat(introspect(cluster.get(i), early, SERVICE, SERVICE_SECRET).json())
                    .as("instance %d accepts a token of instance %d's new key", i, first).containsEntry("active", true);
        }

        Map<Integer, Duration> seenAfter = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            int instance = i;
            awaitInstance(x -> kids(cluster.get(x)).contains(newKid), Set.of(instance));
            seenAfter.put(i, Duration.between(rotatedAt, Instant.now()));
        }
        System.out.println("ClusterTest: the new key was in each instance's JWKS after " + seenAfter
                + " (keys.reloadInterval " + RELOAD_INTERVAL + ")");
        assertThat(seenAfter.values()).allSatisfy(d -> assertThat(d).isLessThan(RELOAD_INTERVAL.plus(SLACK)));

        List<JWKSet> jwks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jwks.add(JWKSet.parse(cluster.get(i).tokenClient().get("/.well-known/jwks.json", null).body()));
            assertThat(jwks.get(i).getKeys()).extracting(JWK::getKeyID).contains(oldKid, newKid);
        }
        for (int issuedBy = 0; issuedBy < 3; issuedBy++) {
            String after = serviceToken(cluster.get(issuedBy));
            assertThat(kidOf(after)).isEqualTo(newKid);
            for (int verifiedBy = 0; verifiedBy < 3; verifiedBy++) {
                assertThat(verifies(after, jwks.get(verifiedBy))).as("new token of %d against the JWKS of %d",
                        issuedBy, verifiedBy).isTrue();
                assertThat(verifies(before.get(issuedBy), jwks.get(verifiedBy))).as("old token of %d against the JWKS"
                        + " of %d", issuedBy, verifiedBy).isTrue();
                assertThat(introspect(cluster.get(verifiedBy), after, SERVICE, SERVICE_SECRET).json())
                        .containsEntry("active", true);
            }
        }
    }

    /**
     * SPEC §6: an ID-JAG's {@code jti} is single use across the cluster, like a client assertion's. Redeemed at A,
     * the same assertion is a replay at B and at C; a fresh one still works at B, so the refusal is the replay's.
     */
    @Test
    @Order(8)
    void aJwtBearerAssertionRedeemedAtAIsAReplayAtBAndC() {
        String idJag = partner.assertion(setup.issuer, AGENT, DAVE_THERE, Instant.now()).scope("todo.read").sign();

        TokenClient.Response first = jwtBearer(a, idJag);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(introspect(c, first.string("access_token"), AGENT, AGENT_SECRET).json())
                .containsEntry("active", true).containsEntry("sub", UserConfig.defaultId(DAVE));

        for (ServerProcess other : List.of(b, c)) {
            TokenClient.Response again = jwtBearer(other, idJag);
            assertThat(again.status()).as(again.body()).isEqualTo(400);
            assertThat(again.error()).isEqualTo("invalid_grant");
            assertThat(again.string("error_description")).contains("get a new ID-JAG");
        }
        String fresh = partner.assertion(setup.issuer, AGENT, DAVE_THERE, Instant.now()).scope("todo.read").sign();
        TokenClient.Response atB = jwtBearer(b, fresh);
        assertThat(atB.status()).as("a fresh jti works at B: " + atB.body()).isEqualTo(200);
    }

    /**
     * {@code keys.rotation} across processes. In real time the next key is due {@code every} (90 d) after the
     * active one started and signs no sooner than {@code prePublish} (at least 5 m) later; rather than wait, the
     * test moves every timestamp of every key in the store back by {@code every}, as if the cluster had been
     * signing with today's key for 90 days. The instances learn nothing but what they read from the store. Then
     * exactly one of them generates the successor (the store's rotation lock), all three publish it within the
     * reload interval of its arrival in the store, none signs with it before {@code prePublish} has passed, and
     * the key that today's one replaced, whose tokens have all expired by the moved clock, leaves every JWKS.
     */
    @Test
    @Order(9)
    void whenARotationIsDueExactlyOneInstanceGeneratesTheNextKeyAndAllThreePublishItBeforeItSigns() throws Exception {
        String active = kidOf(serviceToken(a));
        Set<String> before = kids(a);
        assertThat(before).as("the first key and the one rotated with the CLI").hasSize(2).contains(active);
        String superseded = before.stream().filter(kid -> !kid.equals(active)).findFirst().orElseThrow();
        assertThat(storedKids()).containsExactlyInAnyOrderElementsOf(before);

        moveKeyTimestampsBack(ROTATE_EVERY);

        String next = awaitNewStoredKid(before);
        Instant stored = Instant.now();
        Map<Integer, Duration> seenAfter = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            awaitInstance(x -> {
                Set<String> published = kids(cluster.get(x));
                return published.contains(next) && !published.contains(superseded);
            }, Set.of(i));
            seenAfter.put(i, Duration.between(stored, Instant.now()));
        }
        System.out.println("ClusterTest: the rotated key was in each instance's JWKS " + seenAfter
                + " after it was in the store (keys.reloadInterval " + RELOAD_INTERVAL + ")");
        assertThat(seenAfter.values()).allSatisfy(d -> assertThat(d).isLessThan(RELOAD_INTERVAL.plus(SLACK)));

        for (int i = 0; i < 3; i++) {
            assertThat(kids(cluster.get(i))).as("instance %d's JWKS", i).containsExactlyInAnyOrder(active, next);
            assertThat(kidOf(serviceToken(cluster.get(i)))).as("instance %d signs with the key of before until"
                    + " prePublish has passed", i).isEqualTo(active);
        }
        // Generated keys' activation times are kept to the second (JcaSigningKeyGenerator), the row's creation is not.
        assertThat(secondsFromCreationToActivation(next)).as("published prePublish before it signs")
                .isBetween(PRE_PUBLISH.toSeconds() - 1.0, (double) PRE_PUBLISH.toSeconds());

        // Exactly one: later runs at every instance find the successor published and have nothing to do.
        sleep(3 * RELOAD_INTERVAL.toMillis());
        assertThat(storedKids()).containsExactlyInAnyOrder(active, superseded, next);
        List<Integer> generatedBy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // KeyRotation's own line (the tests' logback configuration keeps the audit trail below WARN).
            if (cluster.get(i).logText().lines().anyMatch(line -> line.contains("KeyRotation")
                    && line.contains("generated RS256 key " + next))) {
                generatedBy.add(i);
            }
        }
        assertThat(generatedBy).as("instances whose log says they generated " + next).hasSize(1);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private record Code(String value, String verifier) { }

    /** Alice signs in at {@code browser}'s instance; the code it redirects to the client with. */
    private static Code signInAndGetCode(UserAgent browser) {
        Pkce pkce = Pkce.generate();
        HttpResponse<String> redirect = browser.signInAndAllow(authorizeQuery(pkce), ALICE, ALICE_PASSWORD);
        String location = redirect.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError(redirect.statusCode() + " " + redirect.body()));
        String code = UserAgent.queryOf(location).get("code");
        assertThat(code).as(location).isNotNull();
        return new Code(code, pkce.verifier());
    }

    private static String authorizeQuery(Pkce pkce) {
        return "response_type=code&client_id=" + WEB + "&scope=" + enc("openid profile offline_access") + "&state=s"
                + "&redirect_uri=" + enc(WEB_REDIRECT) + "&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256";
    }

    private static HttpResponse<String> loginPage(UserAgent browser) {
        HttpResponse<String> page = browser.get("/authorize?" + authorizeQuery(Pkce.generate()));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"password\"");
        return page;
    }

    private static HttpResponse<String> failOnce(UserAgent browser, HttpResponse<String> page, String password) {
        HttpResponse<String> answer = browser.submit(page, Map.of("username", CAROL, "password", password));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(alert(answer)).isEqualTo("That username and password didn't match. Please try again.");
        return answer;
    }

    private static String alert(HttpResponse<String> page) {
        Matcher alert = ALERT.matcher(page.body());
        return alert.find() ? alert.group(1).trim().replace("&#39;", "'").replace("&#x27;", "'") : null;
    }

    private static TokenClient.Response redeem(ServerProcess at, Code code) {
        return at.tokenClient().token(WEB, WEB_SECRET, Map.of("grant_type", "authorization_code", "code", code.value(),
                "redirect_uri", WEB_REDIRECT, "code_verifier", code.verifier()));
    }

    private static TokenClient.Response refresh(ServerProcess at, String refreshToken) {
        return at.tokenClient().token(WEB, WEB_SECRET, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    private static TokenClient.Response introspect(ServerProcess at, String token) {
        return introspect(at, token, WEB, WEB_SECRET);
    }

    private static TokenClient.Response introspect(ServerProcess at, String token, String clientId, String secret) {
        TokenClient.Response response = at.tokenClient().post("/introspect", TokenClient.basic(clientId, secret),
                "token=" + enc(token));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    private static int userinfo(ServerProcess at, String accessToken) {
        return at.tokenClient().get("/userinfo", "Bearer " + accessToken).status();
    }

    private static TokenClient.Response revoke(ServerProcess at, String token, String hint) {
        return at.tokenClient().post("/revoke", TokenClient.basic(WEB, WEB_SECRET),
                "token=" + enc(token) + "&token_type_hint=" + hint);
    }

    private static TokenClient.Response withAssertion(ServerProcess at, String assertion) {
        return at.tokenClient().post("/token", null, "grant_type=client_credentials&client_assertion_type="
                + enc(ASSERTION_TYPE) + "&client_assertion=" + enc(assertion));
    }

    private static TokenClient.Response jwtBearer(ServerProcess at, String assertion) {
        return at.tokenClient().token(AGENT, AGENT_SECRET, Map.of("grant_type", JWT_BEARER, "assertion", assertion));
    }

    private static String serviceToken(ServerProcess at) {
        TokenClient.Response response = at.tokenClient().token(SERVICE, SERVICE_SECRET,
                Map.of("grant_type", "client_credentials"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.string("access_token");
    }

    private static Set<String> kids(ServerProcess at) {
        TokenClient.Response jwks = at.tokenClient().get("/.well-known/jwks.json", null);
        assertThat(jwks.status()).isEqualTo(200);
        try {
            return JWKSet.parse(jwks.body()).getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
        } catch (ParseException e) {
            throw new AssertionError(jwks.body(), e);
        }
    }

    private static String kidOf(String jwt) throws ParseException {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    private static boolean verifies(String jwt, JWKSet jwks) throws ParseException, JOSEException {
        SignedJWT parsed = SignedJWT.parse(jwt);
        JWK key = jwks.getKeyByKeyId(parsed.getHeader().getKeyID());
        return key != null && parsed.verify(new RSASSAVerifier(key.toRSAKey()));
    }

    /** {@code keys rotate --config} of instance A's file, as an operator would run it; returns the new kid. */
    private static String rotateWithTheCli() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TesseraCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("keys", "rotate", "--config", setup.configs.get(0).toString(), "--bits", "2048",
                "--activate-in", "0s");
        assertThat(exit).as(out + "\n" + err).isZero();
        Matcher kid = Pattern.compile("kid (\\S+)\\)").matcher(out.toString());
        assertThat(kid.find()).as(out.toString()).isTrue();
        return kid.group(1);
    }

    /** Every kid in the store, retired or not. */
    private static Set<String> storedKids() throws SQLException {
        Set<String> kids = new java.util.HashSet<>();
        try (Connection db = setup.postgres.connect(); Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT kid FROM " + setup.table("signing_keys"))) {
            while (rows.next()) {
                kids.add(rows.getString(1));
            }
        }
        return kids;
    }

    /** Every point in time the store keeps about its keys moves back by {@code by}, in one statement. */
    private static void moveKeyTimestampsBack(Duration by) throws SQLException {
        String interval = "INTERVAL '" + by.toSeconds() + " seconds'";
        try (Connection db = setup.postgres.connect(); Statement update = db.createStatement()) {
            update.executeUpdate("UPDATE " + setup.table("signing_keys") + " SET created_at = created_at - " + interval
                    + ", activates_at = activates_at - " + interval + ", activated_at = activated_at - " + interval
                    + ", retired_at = retired_at - " + interval);
        }
    }

    /** Polls the store until it holds a kid not in {@code known}; that kid. */
    private static String awaitNewStoredKid(Set<String> known) throws SQLException {
        Instant deadline = Instant.now().plus(GENERATION);
        while (true) {
            Set<String> added = storedKids();
            added.removeAll(known);
            if (!added.isEmpty()) {
                assertThat(added).hasSize(1);
                return added.iterator().next();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no instance added a key within " + GENERATION);
            }
            sleep(100);
        }
    }

    private static double secondsFromCreationToActivation(String kid) throws SQLException {
        try (Connection db = setup.postgres.connect(); PreparedStatement query = db.prepareStatement(
                "SELECT EXTRACT(EPOCH FROM activates_at - created_at) FROM " + setup.table("signing_keys")
                        + " WHERE kid = ?")) {
            query.setString(1, kid);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getDouble(1);
            }
        }
    }

    /** Polls the instances until one satisfies {@code condition}; its index. */
    private static int awaitInstance(Predicate<Integer> condition, Set<Integer> instances) {
        Instant deadline = Instant.now().plus(RELOAD_INTERVAL).plus(SLACK);
        while (true) {
            for (int i : instances) {
                if (condition.test(i)) {
                    return i;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no instance of " + instances + " got there within " + RELOAD_INTERVAL.plus(SLACK));
            }
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
