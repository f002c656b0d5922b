package dev.tessera.server.e2e;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.TotpUsers;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two-step sign-in in real headless Chromium, at phone and desktop widths: the code step of /login after the
 * password (numeric keyboard, one-time-code autofill hint), and the enrolment page with its QR code.
 */
class TotpBrowserTest {
    private static final String RP_CLIENT = "totp-browser-rp";
    private static final String RP_SECRET = "totp-browser-rp-secret-0123456789-01234";
    private static final String RP_NAME = "Two-Step Test App";
    private static final String ERIN = "erin";
    private static final String ERIN_PASSWORD = "erin enrols in the browser";
    private static final int[] WIDTHS = {390, 1280};

    static BrowserRig rig;
    static TesseraTestServer server;
    static RelyingParty relyingParty;
    static HeadlessChromium chromium;

    @RegisterExtension
    final Screenshots screenshots = new Screenshots(Path.of("target", "e2e-screenshots"),
            () -> chromium == null ? null : chromium.driver());

    @BeforeAll
    static void start() {
        rig = BrowserRig.start((config, callbackUri) -> withRelyingParty(TotpUsers.withTina(config), callbackUri));
        server = rig.server();
        relyingParty = rig.relyingParty();
        chromium = rig.chromium();
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @BeforeEach
    void signedOutInAFreshTimeStep() {
        rig.signedOut();
        server.clock().advance(Duration.ofMinutes(16));
    }

    private static TesseraConfig withRelyingParty(TesseraConfig config, String callbackUri) {
        List<ClientConfig> clients = new ArrayList<>(config.clients());
        clients.add(ClientConfig.builder(RP_CLIENT).name(RP_NAME).secret(RP_SECRET).redirectUris(List.of(callbackUri))
                .scopes(List.of("openid", "profile")).consent("skip").build());
        List<UserConfig> users = new ArrayList<>(config.users());
        users.add(UserConfig.builder(ERIN).password(ERIN_PASSWORD).build());
        return config.withClients(clients).withUsers(users);
    }

    @Test
    void aUserWithTotpTypesTheCodeAfterThePasswordAtPhoneAndDesktopWidths() throws Exception {
        WebDriver browser = chromium.driver();
        Dimension original = browser.manage().window().getSize();
        try {
            for (int width : WIDTHS) {
                chromium.clearCookies();
                server.clock().advance(Duration.ofMinutes(1)); // a new code for each sign-in
                browser.manage().window().setSize(new Dimension(width, 900));
                Pkce pkce = Pkce.generate();
                browser.get(authorizeUrl(pkce));
                chromium.signIn(TotpUsers.TINA, TotpUsers.TINA_PASSWORD);

                WebElement otp = chromium.waitFor(By.id("otp"));
                assertThat(otp.getDomAttribute("inputmode")).isEqualTo("numeric");
                assertThat(otp.getDomAttribute("autocomplete")).isEqualTo("one-time-code");
                assertThat(browser.switchTo().activeElement()).as("the code field has the focus").isEqualTo(otp);
                assertThat(browser.findElement(By.tagName("main")).getText())
                        .contains("Enter your code", "to continue to " + RP_NAME);
                WebElement button = browser.findElement(By.cssSelector("form button[type=submit]"));
                assertThat(button.getText()).isEqualTo("Sign in");
                assertThat(button.getRect().getWidth()).isLessThanOrEqualTo(width);
                screenshots.save("login-otp-" + width);

                otp.sendKeys(TotpUsers.wrongCode(TotpUsers.TINA_SECRET, server.clock().instant()));
                chromium.submit();
                assertThat(chromium.waitFor(By.cssSelector("[role=alert]")).getText()).contains("That code didn't work");
                screenshots.save("login-otp-wrong-" + width);

                chromium.waitFor(By.id("otp")).sendKeys(TotpUsers.tinaCode(server));
                chromium.submit();
                Map<String, String> callback = UserAgent.queryOf("?" + relyingParty.nextCallback());
                chromium.waitFor(By.id(RelyingParty.DONE_MARKER_ID));
                TokenClient.Response tokens = server.tokenClient().token(RP_CLIENT, RP_SECRET, Map.of(
                        "grant_type", "authorization_code", "code", callback.get("code"),
                        "redirect_uri", relyingParty.callbackUri(), "code_verifier", pkce.verifier()));
                assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
                JWTClaimsSet id = SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet();
                assertThat(id.getStringClaim("acr")).isEqualTo("urn:tessera:acr:mfa");
                assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
            }
        } finally {
            browser.manage().window().setSize(original);
        }
    }

    @Test
    void theEnrolmentPageShowsAQrCodeAndTurnsTwoStepSignInOnWithTheFirstCode() throws Exception {
        WebDriver browser = chromium.driver();
        browser.get(authorizeUrl(Pkce.generate()));
        chromium.signIn(ERIN, ERIN_PASSWORD);
        relyingParty.nextCallback();

        browser.get(server.issuer() + "/account/totp");
        WebElement qr = chromium.waitFor(By.cssSelector("svg.qr-code"));
        Dimension original = browser.manage().window().getSize();
        try {
            for (int width : WIDTHS) {
                browser.manage().window().setSize(new Dimension(width, 1100));
                assertThat(qr.isDisplayed()).isTrue();
                assertThat(qr.getRect().getWidth()).as("the QR code is big enough to scan").isGreaterThanOrEqualTo(180);
                assertThat(browser.findElement(By.cssSelector("form button[type=submit]")).isDisplayed()).isTrue();
                screenshots.save("totp-enrol-" + width);
            }
        } finally {
            browser.manage().window().setSize(original);
        }
        String secret = browser.findElement(By.id("totp-secret")).getText().replace(" ", "");
        browser.findElement(By.id("otp")).sendKeys(TotpUsers.code(secret, server.clock().instant()));
        chromium.submit();

        assertThat(chromium.waitFor(By.tagName("h1")).getText()).isEqualTo("Two-step sign-in is on");
        screenshots.save("totp-enrolled");
        assertThat(server.app().totpSecrets().isEnrolled(UserConfig.defaultId(ERIN))).isTrue();
    }

    private String authorizeUrl(Pkce pkce) {
        return server.issuer() + "/authorize?response_type=code&client_id=" + RP_CLIENT
                + "&redirect_uri=" + URLEncoder.encode(relyingParty.callbackUri(), StandardCharsets.UTF_8)
                + "&scope=openid%20profile&state=" + UUID.randomUUID() + "&nonce=" + UUID.randomUUID()
                + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256";
    }

}
