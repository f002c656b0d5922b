package dev.tessera.server.e2e;

import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.TesseraConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.TesseraTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Screenshots of the real pages (ARCHITECTURE §2.12) at desktop and phone widths, light and dark, with
 * realistic and awkward data (long client names, long usernames, many scopes), into
 * {@code target/page-screenshots/} for a person to review. Slow-ish and only useful with eyes on the
 * result, so it runs only when asked:
 * <pre>TESSERA_PAGE_SCREENSHOTS=1 ./mvnw -B -o -q -pl tessera-server test -Dtest='dev.tessera.server.e2e.PageScreenshotsTest'</pre>
 * It also fails if a page scrolls sideways or the primary button is smaller than a 44 px touch target.
 */
@EnabledIfEnvironmentVariable(named = "TESSERA_PAGE_SCREENSHOTS", matches = "1")
@Timeout(300)
class PageScreenshotsTest {
    private static final Path OUT = Path.of("target", "page-screenshots");
    private static final String LONG_CLIENT = "long";
    private static final String LONG_CLIENT_NAME = "Northwind Traders Customer Self-Service Portal for Enterprise Accounts (EU staging)";
    private static final String UNBROKEN_CLIENT = "unbroken";
    private static final String UNBROKEN_CLIENT_NAME = "SupercalifragilisticexpialidociousEnterpriseResourcePlanningConnector";
    private static final String LONG_USERNAME = "maximilian.alexander.featherstonehaugh@research-and-development.example.com";
    private static final List<String> MANY_SCOPES = List.of("openid", "profile", "email", "address", "phone",
            "offline_access", "api.read", "api.write", "calendar.events.readonly",
            "https://graph.example.com/files.readwrite.all");

    private record Viewport(String name, int width, int height, boolean mobile) { }

    private static final List<Viewport> VIEWPORTS = List.of(
            new Viewport("desktop", 1280, 900, false), new Viewport("phone", 390, 844, true));

    static TesseraTestServer server;
    static RelyingParty relyingParty;
    static HeadlessChromium chromium;

    @BeforeAll
    static void start() {
        HeadlessChromium.requireInstalled();
        relyingParty = RelyingParty.start();
        server = TesseraTestServer.start(PageScreenshotsTest::withAwkwardData);
        chromium = HeadlessChromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (relyingParty != null) {
            relyingParty.close();
        }
    }

    private static TesseraConfig withAwkwardData(TesseraConfig config) {
        List<ClientConfig> clients = new ArrayList<>(config.clients());
        clients.add(ClientConfig.builder(LONG_CLIENT).name(LONG_CLIENT_NAME).secret("long-secret-0123456789-0123456789-abcdef")
                .redirectUris(List.of(relyingParty.callbackUri())).scopes(MANY_SCOPES).build());
        clients.add(ClientConfig.builder(UNBROKEN_CLIENT).name(UNBROKEN_CLIENT_NAME)
                .secret("unbroken-secret-0123456789-0123456789-ab")
                .redirectUris(List.of(relyingParty.callbackUri())).scopes(List.of("openid", "email")).build());
        List<UserConfig> users = new ArrayList<>(config.users());
        users.add(UserConfig.builder(LONG_USERNAME).password("a long and careful password").build());
        return config.withClients(clients).withUsers(users);
    }

    @Test
    void capturesEveryPageAtDesktopAndPhoneWidthsInLightAndDark() throws Exception {
        ChromeDriver browser = chromium.driver();

        openAuthorize(TesseraTestServer.WEB, TesseraTestServer.WEB_REDIRECT, "openid profile email", "");
        capture("login");
        signIn(TesseraTestServer.ALICE, "wrong password");
        capture("login-failed");
        signIn(null, TesseraTestServer.ALICE_PASSWORD);
        waitFor(By.name("decision"));
        capture("consent");

        openAuthorize(LONG_CLIENT, relyingParty.callbackUri(), String.join(" ", MANY_SCOPES), "");
        capture("login-long-client");
        signIn(LONG_USERNAME, "wrong password");
        capture("login-failed-long-username");
        signIn(null, "a long and careful password");
        waitFor(By.name("decision"));
        capture("consent-many-scopes");

        openAuthorize(UNBROKEN_CLIENT, relyingParty.callbackUri(), "openid email", "");
        capture("login-unbroken-client-name");

        chromium.clearCookies();
        browser.get(server.issuer() + "/authorize?response_type=code&client_id=no-such-app&scope=openid"
                + "&redirect_uri=" + encode("https://evil.example/cb") + "&state=s");
        waitFor(By.cssSelector(".title"));
        capture("error-unknown-client");

        // form_post: without script the page stays put, which is exactly what a no-JS user sees
        openAuthorize(TesseraTestServer.WEB, TesseraTestServer.WEB_REDIRECT, "openid profile", "&response_mode=form_post");
        signIn(TesseraTestServer.BOB, TesseraTestServer.BOB_PASSWORD);
        WebElement allow = waitFor(By.cssSelector("button[name=decision][value=allow]"));
        browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
        try {
            allow.click();
            waitFor(By.id("form-post"));
            capture("form-post");
        } finally {
            browser.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", false));
        }

        try (var shots = Files.list(OUT)) {
            assertThat(shots.filter(p -> p.toString().endsWith(".png")).count()).isGreaterThanOrEqualTo(9 * 4);
        }
    }

    private void openAuthorize(String clientId, String redirectUri, String scope, String extra) {
        chromium.clearCookies();
        Pkce pkce = Pkce.generate();
        chromium.driver().get(server.issuer() + "/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + encode(redirectUri) + "&scope=" + encode(scope)
                + "&state=" + UUID.randomUUID() + "&nonce=" + UUID.randomUUID()
                + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256" + extra);
        waitFor(By.id("username"));
    }

    /** @param username null to keep what the form already holds */
    private void signIn(String username, String password) {
        ChromeDriver browser = chromium.driver();
        if (username != null) {
            WebElement field = waitFor(By.id("username"));
            field.clear();
            field.sendKeys(username);
        }
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.or(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("[role=alert]")),
                ExpectedConditions.presenceOfElementLocated(By.name("decision")),
                ExpectedConditions.presenceOfElementLocated(By.id("form-post"))));
    }

    private static WebElement waitFor(By locator) {
        return new WebDriverWait(chromium.driver(), Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** The current page in every viewport and colour scheme, as full-length PNGs. */
    @SuppressWarnings("unchecked")
    private void capture(String page) throws Exception {
        ChromeDriver browser = chromium.driver();
        Files.createDirectories(OUT);
        for (Viewport viewport : VIEWPORTS) {
            browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                    "width", viewport.width(), "height", viewport.height(),
                    "deviceScaleFactor", 1, "mobile", viewport.mobile()));
            for (String scheme : List.of("light", "dark")) {
                browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of(
                        "features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
                Number scrollWidth = (Number) browser.executeScript("return document.documentElement.scrollWidth");
                assertThat(scrollWidth.intValue()).as("%s at %s scrolls sideways", page, viewport.name())
                        .isLessThanOrEqualTo(viewport.width());
                for (WebElement button : browser.findElements(By.cssSelector(".button"))) {
                    assertThat(button.getRect().getHeight()).as("touch target on %s", page).isGreaterThanOrEqualTo(44);
                }
                Map<String, Object> layout = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
                Map<String, Object> content = (Map<String, Object>) layout.get("cssContentSize");
                int height = Math.max(viewport.height(), (int) Math.ceil(((Number) content.get("height")).doubleValue()));
                Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of(
                        "format", "png", "captureBeyondViewport", true,
                        "clip", Map.of("x", 0, "y", 0, "width", viewport.width(), "height", height, "scale", 1)));
                Files.write(OUT.resolve(page + "-" + viewport.name() + "-" + scheme + ".png"),
                        Base64.getDecoder().decode((String) shot.get("data")));
            }
        }
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
