package dev.tessera.server.e2e;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.http.view.LoginPage;
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
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code flow as a person does it: a real headless Chromium opens the authorize URL,
 * signs in on Tessera's login page, allows access on the consent page and lands on the relying party,
 * which then redeems the code and verifies both tokens against the keys named by discovery.
 */
@Timeout(120)
class BrowserLoginFlowTest {
    private static final String RP_CLIENT = "browser-rp";
    private static final String RP_SECRET = "browser-rp-secret-0123456789-0123456789";
    private static final String RP_NAME = "Browser Test App";
    private static final String SCOPE = "openid profile email offline_access";
    // consent is remembered per user and client, so each test signs in as its own user
    private static final String CAROL = "carol";
    private static final String CAROL_PASSWORD = "carol's form_post password";
    private static final String DANA = "dana";
    private static final String DANA_PASSWORD = "dana's verified claims password";
    private static final Map<String, Object> DANA_VERIFIED = Map.of(
            "verification", Map.of("trust_framework", "eidas", "evidence", List.of(Map.of("type", "electronic_record"))),
            "claims", Map.of("given_name", "Dana", "family_name", "Doe", "birthdate", "1988-02-29"));

    static BrowserRig rig;
    static TesseraTestServer server;
    static RelyingParty relyingParty;
    static HeadlessChromium chromium;

    @RegisterExtension
    final Screenshots screenshots = new Screenshots(Path.of("target", "e2e-screenshots"),
            () -> chromium == null ? null : chromium.driver());

    @BeforeAll
    static void startBrowserServerAndRelyingParty() {
        rig = BrowserRig.start(BrowserLoginFlowTest::withRelyingParty);
        server = rig.server();
        relyingParty = rig.relyingParty();
        chromium = rig.chromium();
    }

    @AfterAll
    static void stopAll() {
        if (rig != null) {
            rig.close();
        }
    }

    @BeforeEach
    void startSignedOut() {
        rig.signedOut();
    }

    private static TesseraConfig withRelyingParty(TesseraConfig config, String callbackUri) {
        List<ClientConfig> clients = new ArrayList<>(config.clients());
        clients.add(ClientConfig.builder(RP_CLIENT).name(RP_NAME).secret(RP_SECRET)
                .redirectUris(List.of(callbackUri))
                .scopes(List.of("openid", "profile", "email", "offline_access"))
                .build());
        List<UserConfig> users = new ArrayList<>(config.users());
        users.add(UserConfig.builder(CAROL).password(CAROL_PASSWORD).build());
        users.add(UserConfig.builder(DANA).password(DANA_PASSWORD)
                .claims(Map.of("email", "dana@example.com", "phone_number", "+1 555 0199"))
                .verifiedClaims(DANA_VERIFIED).build());
        return config.withClients(clients).withUsers(users);
    }

    @Test
    void personSignsInAllowsAccessAndTheAppGetsTokensThatVerifyAgainstTheJwks() throws Exception {
        WebDriver browser = chromium.driver();
        Pkce pkce = Pkce.generate();
        String state = UUID.randomUUID().toString();
        String nonce = UUID.randomUUID().toString();

        browser.get(authorizeUrl(pkce, state, nonce));
        WebElement username = chromium.waitFor(By.id("username"));
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("Sign in").contains("to continue to " + RP_NAME);
        screenshots.save("login");
        username.sendKeys(TesseraTestServer.ALICE);
        browser.findElement(By.name("password")).sendKeys(TesseraTestServer.ALICE_PASSWORD);
        chromium.submit();

        WebElement allow = chromium.waitFor(By.cssSelector("button[name=decision][value=allow]"));
        String consentText = browser.findElement(By.tagName("main")).getText();
        assertThat(consentText)
                .contains(RP_NAME + " wants to access your account")
                .contains("Signed in as " + TesseraTestServer.ALICE)
                .contains("See your email address")
                .contains("See your name and profile details")
                .contains("Stay signed in when you're not using the app");
        assertThat(browser.findElements(By.cssSelector("button[name=decision][value=deny]"))).hasSize(1);
        screenshots.save("consent");
        allow.click();

        Map<String, String> callback = UserAgent.queryOf("?" + relyingParty.nextCallback());
        chromium.waitFor(By.id(RelyingParty.DONE_MARKER_ID));
        assertThat(browser.getCurrentUrl()).startsWith(relyingParty.callbackUri());
        assertThat(callback).containsEntry("state", state).containsEntry("iss", server.issuer())
                .containsKey("code").doesNotContainKey("error");

        TokenClient tokens = server.tokenClient();
        TokenClient.Response redeemed = tokens.token(RP_CLIENT, RP_SECRET, Map.of(
                "grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", relyingParty.callbackUri(), "code_verifier", pkce.verifier()));
        assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(200);
        assertThat(redeemed.string("token_type")).isEqualToIgnoringCase("Bearer");
        assertThat(redeemed.string("refresh_token")).isNotBlank();

        JWKSource<SecurityContext> keys = jwksNamedByDiscovery(tokens);
        JWTClaimsSet access = accessTokenProcessor(keys).process(redeemed.string("access_token"), null);
        JWTClaimsSet id = idTokenProcessor(keys, nonce).process(redeemed.string("id_token"), null);
        assertThat(access.getStringClaim("client_id")).isEqualTo(RP_CLIENT);
        assertThat(access.getStringClaim("scope").split(" ")).contains("openid", "profile", "email");
        assertThat(id.getSubject()).isEqualTo(access.getSubject());

        TokenClient.Response userinfo = tokens.get("/userinfo", "Bearer " + redeemed.string("access_token"));
        assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
        assertThat(userinfo.string("sub")).isEqualTo(id.getSubject());
        assertThat(userinfo.string("email")).isEqualTo("alice@example.com");
        assertThat(userinfo.string("name")).isEqualTo("Alice Example");
    }

    @Test
    void wrongPasswordShowsTheGenericErrorKeepsTheUsernameAndTheRightPasswordThenWorks() throws Exception {
        WebDriver browser = chromium.driver();
        String state = UUID.randomUUID().toString();
        browser.get(authorizeUrl(Pkce.generate(), state, UUID.randomUUID().toString()));
        chromium.signIn(TesseraTestServer.BOB, "not bob's password");

        WebElement alert = chromium.waitFor(By.cssSelector("[role=alert]"));
        assertThat(alert.getText()).isEqualTo(LoginPage.BAD_CREDENTIALS);
        WebElement username = browser.findElement(By.id("username"));
        WebElement password = browser.findElement(By.id("password"));
        assertThat(username.getDomProperty("value")).isEqualTo(TesseraTestServer.BOB);
        assertThat(password.getDomProperty("value")).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("not bob's password");
        screenshots.save("login-after-failed-attempt");

        password.sendKeys(TesseraTestServer.BOB_PASSWORD);
        chromium.submit();
        chromium.waitFor(By.cssSelector("button[name=decision][value=allow]")).click();

        Map<String, String> callback = UserAgent.queryOf("?" + relyingParty.nextCallback());
        assertThat(callback).containsEntry("state", state).containsKey("code");
    }

    @Test
    void consentPageNamesVerifiedClaimsAtPhoneAndDesktopWidthsAndTheIdTokenCarriesWhatWasAllowed() throws Exception {
        WebDriver browser = chromium.driver();
        Pkce pkce = Pkce.generate();
        String nonce = UUID.randomUUID().toString();
        String claims = "{\"id_token\":{\"phone_number\":{\"essential\":true},"
                + "\"verified_claims\":{\"verification\":{\"trust_framework\":null},"
                + "\"claims\":{\"given_name\":null,\"birthdate\":{\"purpose\":\"We check that you are of age\"}}}}}";
        browser.get(authorizeUrl(pkce, UUID.randomUUID().toString(), nonce) + "&claims=" + encode(claims));
        chromium.signIn(DANA, DANA_PASSWORD);

        WebElement allow = chromium.waitFor(By.cssSelector("button[name=decision][value=allow]"));
        String consentText = browser.findElement(By.tagName("main")).getText();
        assertThat(consentText).contains("See your phone number", "Required",
                "See your verified first name and birth date, checked by eidas", "We check that you are of age");
        org.openqa.selenium.Dimension original = browser.manage().window().getSize();
        try {
            for (int width : new int[] {390, 1280}) {
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(width, 1100));
                assertThat(allow.isDisplayed()).isTrue();
                screenshots.save("consent-claims-" + width);
            }
        } finally {
            browser.manage().window().setSize(original);
        }
        allow.click();

        Map<String, String> callback = UserAgent.queryOf("?" + relyingParty.nextCallback());
        TokenClient.Response redeemed = server.tokenClient().token(RP_CLIENT, RP_SECRET, Map.of(
                "grant_type", "authorization_code", "code", callback.get("code"),
                "redirect_uri", relyingParty.callbackUri(), "code_verifier", pkce.verifier()));
        assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(200);
        JWTClaimsSet id = idTokenProcessor(jwksNamedByDiscovery(server.tokenClient()), nonce)
                .process(redeemed.string("id_token"), null);
        assertThat(id.getStringClaim("phone_number")).isEqualTo("+1 555 0199");
        assertThat(id.getClaim("verified_claims")).isEqualTo(Map.of("verification", Map.of("trust_framework", "eidas"),
                "claims", Map.of("given_name", "Dana", "birthdate", "1988-02-29")));
    }

    @Test
    void formPostResponseReachesTheAppThroughTheScriptTheStrictCspAllows() throws Exception {
        // Only a real browser shows this: the page has no inline script (CSP script-src 'self'),
        // so /static/form-post.js must load and submit the form by itself.
        WebDriver browser = chromium.driver();
        String state = UUID.randomUUID().toString();
        browser.get(authorizeUrl(Pkce.generate(), state, UUID.randomUUID().toString()) + "&response_mode=form_post");
        chromium.signIn(CAROL, CAROL_PASSWORD);
        chromium.waitFor(By.cssSelector("button[name=decision][value=allow]")).click();

        Map<String, String> posted = UserAgent.queryOf("?" + relyingParty.nextCallback());
        chromium.waitFor(By.id(RelyingParty.DONE_MARKER_ID));
        assertThat(posted).containsEntry("state", state).containsEntry("iss", server.issuer()).containsKey("code");
        assertThat(browser.getCurrentUrl()).isEqualTo(relyingParty.callbackUri());
    }

    private String authorizeUrl(Pkce pkce, String state, String nonce) {
        return server.issuer() + "/authorize?response_type=code"
                + "&client_id=" + RP_CLIENT
                + "&redirect_uri=" + encode(relyingParty.callbackUri())
                + "&scope=" + encode(SCOPE)
                + "&state=" + state + "&nonce=" + nonce
                + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256";
    }


    private static JWKSource<SecurityContext> jwksNamedByDiscovery(TokenClient tokens) throws Exception {
        TokenClient.Response discovery = tokens.get("/.well-known/openid-configuration", null);
        assertThat(discovery.status()).isEqualTo(200);
        assertThat(discovery.string("issuer")).isEqualTo(server.issuer());
        URI jwksUri = URI.create(discovery.string("jwks_uri"));
        assertThat(jwksUri.toString()).startsWith(server.issuer() + "/");
        return JWKSourceBuilder.create(jwksUri.toURL()).retrying(false).build();
    }

    private static DefaultJWTProcessor<SecurityContext> accessTokenProcessor(JWKSource<SecurityContext> keys) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // RFC 9068 §4: the resource server must check typ at+jwt
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(keySelector(keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(RP_CLIENT,
                new JWTClaimsSet.Builder().issuer(server.issuer()).build(),
                Set.of("sub", "exp", "iat", "jti", "client_id")));
        return processor;
    }

    private static DefaultJWTProcessor<SecurityContext> idTokenProcessor(JWKSource<SecurityContext> keys, String nonce) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keySelector(keys));
        // OIDC Core §3.1.3.7: iss, aud and the nonce sent in the request
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(RP_CLIENT,
                new JWTClaimsSet.Builder().issuer(server.issuer()).claim("nonce", nonce).build(),
                Set.of("sub", "exp", "iat")));
        return processor;
    }

    private static JWSVerificationKeySelector<SecurityContext> keySelector(JWKSource<SecurityContext> keys) {
        return new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256), keys);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
