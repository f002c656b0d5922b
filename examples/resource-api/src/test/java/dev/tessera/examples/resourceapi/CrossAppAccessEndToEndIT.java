package dev.tessera.examples.resourceapi;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.e2e.HeadlessChromium;
import dev.tessera.server.e2e.RelyingParty;
import dev.tessera.server.e2e.Screenshots;
import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-app access as the README demonstrates it, with the shipped {@code examples/cross-app-access} configs: two
 * {@code tessera.jar} processes (the company's identity provider and the partner's authorization server, each with
 * its own port, H2 store and generated key), a person signing in at the IdP in headless Chromium, the agent app
 * exchanging the ID token for an ID-JAG, redeeming it at the partner's server with the jwt-bearer grant, and the
 * example API trusting only the partner's server. Real processes, not two servers in this JVM: the point is that
 * the built jar with those config files works, and each side sees the other only over HTTP.
 */
@Timeout(240)
class CrossAppAccessEndToEndIT {
    private static final String AGENT = "agent";
    // Set through the configs' ${VAR} references, as production would, instead of relying on the demo defaults.
    private static final String IDP_AGENT_SECRET = "e2e-idp-agent-secret-0123456789-0123456789";
    private static final String AS_AGENT_SECRET = "e2e-as-agent-secret-0123456789-0123456789";
    private static final String ALICE_PASSWORD = "e2e alice password at the idp";
    // The users' ids in the configs: the IdP's subject, and the partner's own id linked to it.
    private static final String ALICE_AT_IDP = "idp-alice";
    private static final String ALICE_AT_PARTNER = "partner-alice";

    private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String ID_JAG = "urn:ietf:params:oauth:token-type:id-jag";
    private static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static TesseraProcess idp;
    static TesseraProcess resourceAs;
    static ResourceApi api;
    static String apiUrl;
    static RelyingParty agentCallback;
    static HeadlessChromium chromium;

    @RegisterExtension
    final Screenshots screenshots = new Screenshots(Path.of("target", "e2e-screenshots"),
            () -> chromium == null ? null : chromium.driver());

    @BeforeAll
    static void startBothServersTheApiAndTheBrowser() throws IOException {
        HeadlessChromium.requireInstalled();
        int idpPort = TesseraTestServer.reservePort();
        int asPort = TesseraTestServer.reservePort();
        int apiPort = TesseraTestServer.reservePort();
        Path work = freshDir(Path.of("target", "cross-app-access-it"));

        // The shipped files name fixed demo ports; only those change.
        Map<String, String> ports = new LinkedHashMap<>();
        ports.put("127.0.0.1:9000", "127.0.0.1:" + idpPort);
        ports.put("127.0.0.1:9100", "127.0.0.1:" + asPort);
        ports.put("127.0.0.1:9200", "127.0.0.1:" + apiPort);
        Map<String, String> idpPorts = new LinkedHashMap<>(ports);
        idpPorts.put("port: 9000", "port: " + idpPort);
        Map<String, String> asPorts = new LinkedHashMap<>(ports);
        asPorts.put("port: 9100", "port: " + asPort);

        Path idpDir = Files.createDirectories(work.resolve("idp"));
        Path asDir = Files.createDirectories(work.resolve("resource-as"));
        idp = TesseraProcess.serve("idp", "http://127.0.0.1:" + idpPort, idpDir,
                shippedConfigWith("idp.yaml", idpPorts, idpDir),
                Map.of("IDP_AGENT_SECRET", IDP_AGENT_SECRET, "ALICE_PASSWORD", ALICE_PASSWORD));
        resourceAs = TesseraProcess.serve("resource-as", "http://127.0.0.1:" + asPort, asDir,
                shippedConfigWith("resource-as.yaml", asPorts, asDir),
                Map.of("AS_AGENT_SECRET", AS_AGENT_SECRET, "PARTNER_ALICE_PASSWORD", "e2e alice password at the partner"));

        apiUrl = "http://127.0.0.1:" + apiPort;
        Map<String, String> settings = Map.of(
                ResourceApiSettings.ISSUER, resourceAs.issuer(),
                ResourceApiSettings.PORT, Integer.toString(apiPort),
                ResourceApiSettings.AUDIENCE, apiUrl,
                ResourceApiSettings.SCOPE, "todo.read");
        api = ResourceApi.start(ResourceApiSettings.from(settings::get));

        agentCallback = RelyingParty.start();
        chromium = HeadlessChromium.launch();
    }

    @AfterAll
    static void stopAll() {
        if (chromium != null) {
            chromium.close();
        }
        if (agentCallback != null) {
            agentCallback.close();
        }
        if (api != null) {
            api.close();
        }
        if (resourceAs != null) {
            resourceAs.close();
        }
        if (idp != null) {
            idp.close();
        }
    }

    @BeforeEach
    void startSignedOut() {
        chromium.clearCookies();
        agentCallback.forgetCallbacks();
    }

    @Test
    void aPersonSignedInAtTheIdpInTheBrowserReachesThePartnersApiWithoutSigningInThere() throws Exception {
        TokenClient.Response signIn = signInAtIdpInTheBrowser();
        assertThat(claims(signIn.string("id_token")).getSubject()).isEqualTo(ALICE_AT_IDP);

        TokenClient.Response exchanged = exchangeForIdJag(signIn.string("id_token"));
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        assertThat(exchanged.json()).containsEntry("issued_token_type", ID_JAG).containsEntry("token_type", "N_A")
                .doesNotContainKey("refresh_token");
        SignedJWT idJag = SignedJWT.parse(exchanged.string("access_token"));
        assertThat(idJag.getHeader().getType().getType()).isEqualTo("oauth-id-jag+jwt");
        assertThat(idJag.getJWTClaimsSet().getIssuer()).isEqualTo(idp.issuer());
        assertThat(idJag.getJWTClaimsSet().getAudience()).containsExactly(resourceAs.issuer());

        TokenClient.Response redeemed = redeemAtResourceAs(exchanged.string("access_token"));
        assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(200);
        assertThat(redeemed.json()).containsEntry("token_type", "Bearer").containsEntry("scope", "todo.read")
                .containsEntry("resource", apiUrl).doesNotContainKey("refresh_token");
        JWTClaimsSet accessToken = claims(redeemed.string("access_token"));
        assertThat(accessToken.getIssuer()).isEqualTo(resourceAs.issuer());
        assertThat(accessToken.getAudience()).containsExactly(apiUrl);
        // the partner's own account for Alice, found through users[].links
        assertThat(accessToken.getSubject()).isEqualTo(ALICE_AT_PARTNER);

        HttpResponse<String> answer = callApi(redeemed.string("access_token"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(
                "{\"sub\":\"" + ALICE_AT_PARTNER + "\",\"client_id\":\"agent\",\"scopes\":[\"todo.read\"]}");
    }

    @Test
    void anIdJagPresentedASecondTimeIsRefusedWithInvalidGrant() throws Exception {
        String idJag = freshIdJag();
        assertThat(redeemAtResourceAs(idJag).status()).isEqualTo(200);

        TokenClient.Response replay = redeemAtResourceAs(idJag);

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.error()).isEqualTo("invalid_grant");
        assertThat(replay.string("error_description")).contains("get a new ID-JAG");
    }

    @Test
    void anIdJagWhosePayloadWasAlteredIsRefusedWithInvalidGrantAndTheGenuineOneStillWorks() throws Exception {
        String idJag = freshIdJag();
        String[] parts = idJag.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"todo.read\"");
        // the agent tries to give itself the write scope its ID-JAG does not carry
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("\"todo.read\"", "\"todo.write\"").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        TokenClient.Response refused = redeemAtResourceAs(tampered);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid_grant");
        assertThat(refused.string("error_description")).contains("signature does not verify");
        assertThat(redeemAtResourceAs(idJag).status()).isEqualTo(200);
    }

    @Test
    void eachServerRefusesTheOthersTokensAndTheApiTrustsOnlyThePartnersServer() throws Exception {
        TokenClient.Response signIn = signInAtIdpInTheBrowser();
        String idpAccessToken = signIn.string("access_token");
        String idJag = exchangeForIdJag(signIn.string("id_token")).string("access_token");
        String partnerAccessToken = redeemAtResourceAs(idJag).string("access_token");
        assertThat(partnerAccessToken).isNotNull();

        TokenClient.Response partnerTokenAtIdp = TokenClient.forIssuer(idp.issuer()).get("/userinfo", "Bearer " + partnerAccessToken);
        assertThat(partnerTokenAtIdp.status()).isEqualTo(401);
        assertThat(partnerTokenAtIdp.header("WWW-Authenticate")).contains("error=\"invalid_token\"");

        TokenClient.Response idpTokenAtPartner = TokenClient.forIssuer(resourceAs.issuer()).get("/userinfo", "Bearer " + idpAccessToken);
        assertThat(idpTokenAtPartner.status()).isEqualTo(401);
        assertThat(idpTokenAtPartner.header("WWW-Authenticate")).contains("error=\"invalid_token\"");

        // neither the IdP's access token nor the ID-JAG itself is an access token the partner's API accepts
        for (String notForTheApi : List.of(idpAccessToken, idJag)) {
            HttpResponse<String> refused = callApi(notForTheApi);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).contains("error=\"invalid_token\""));
        }
    }

    /** The authorization code flow in Chromium, the code redeemed by the agent: the IdP's token response. */
    private TokenClient.Response signInAtIdpInTheBrowser() throws Exception {
        WebDriver browser = chromium.driver();
        Pkce pkce = Pkce.generate();
        String state = UUID.randomUUID().toString();
        // The config registers http://127.0.0.1:9009/callback; a loopback redirect URI may use any port (RFC 8252).
        browser.get(idp.issuer() + "/authorize?response_type=code&client_id=" + AGENT
                + "&scope=" + encode("openid email") + "&redirect_uri=" + encode(agentCallback.callbackUri())
                + "&state=" + state + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("alice");
        browser.findElement(By.id("password")).sendKeys(ALICE_PASSWORD);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        // Consent is asked once per user and client; later sign-ins go straight back to the app.
        By allow = By.cssSelector("button[name=decision][value=allow]");
        wait.until(ExpectedConditions.or(ExpectedConditions.visibilityOfElementLocated(allow),
                ExpectedConditions.presenceOfElementLocated(By.id(RelyingParty.DONE_MARKER_ID))));
        if (!browser.findElements(allow).isEmpty()) {
            browser.findElement(allow).click();
        }
        Map<String, String> callback = UserAgent.queryOf("?" + agentCallback.nextCallback());
        assertThat(callback).containsEntry("state", state).containsEntry("iss", idp.issuer()).containsKey("code");

        TokenClient.Response tokens = TokenClient.forIssuer(idp.issuer()).token(AGENT, IDP_AGENT_SECRET, Map.of(
                "grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", agentCallback.callbackUri(), "code_verifier", pkce.verifier()));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        return tokens;
    }

    private String freshIdJag() throws Exception {
        TokenClient.Response exchanged = exchangeForIdJag(signInAtIdpInTheBrowser().string("id_token"));
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
        return exchanged.string("access_token");
    }

    private static TokenClient.Response exchangeForIdJag(String idToken) {
        return TokenClient.forIssuer(idp.issuer()).token(AGENT, IDP_AGENT_SECRET, Map.of(
                "grant_type", TOKEN_EXCHANGE,
                "requested_token_type", ID_JAG,
                "subject_token", idToken,
                "subject_token_type", ID_TOKEN,
                "audience", resourceAs.issuer(),
                "resource", apiUrl,
                "scope", "todo.read"));
    }

    private static TokenClient.Response redeemAtResourceAs(String idJag) {
        return TokenClient.forIssuer(resourceAs.issuer()).token(AGENT, AS_AGENT_SECRET,
                Map.of("grant_type", JWT_BEARER, "assertion", idJag));
    }

    private static HttpResponse<String> callApi(String accessToken) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl + ResourceApi.PROTECTED_PATH))
                .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JWTClaimsSet claims(String jwt) throws java.text.ParseException {
        return SignedJWT.parse(jwt).getJWTClaimsSet();
    }

    /**
     * A copy of a shipped config in {@code dir} with the given text replaced; a replacement that no longer matches
     * means the shipped file changed shape, and the test says so instead of testing something else.
     */
    private static Path shippedConfigWith(String file, Map<String, String> replacements, Path dir) throws IOException {
        Path shipped = Path.of(System.getProperty("tessera.crossAppAccess.dir", "../cross-app-access"), file);
        String yaml = Files.readString(shipped);
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            assertThat(yaml).as("%s must name %s", shipped, replacement.getKey()).contains(replacement.getKey());
            yaml = yaml.replace(replacement.getKey(), replacement.getValue());
        }
        return Files.writeString(dir.resolve(file), yaml);
    }

    /** Emptied at each run; left in place afterwards so the servers' logs can be read after a failure. */
    private static Path freshDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        return Files.createDirectories(dir).toAbsolutePath();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
