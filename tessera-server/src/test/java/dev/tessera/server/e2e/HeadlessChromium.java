package dev.tessera.server.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver with a throw-away profile.
 * Both paths are explicit on purpose: without them Selenium Manager tries to download a driver and
 * hangs on this closed network (ARCHITECTURE §2.11). The flags keep Chromium from calling out.
 */
public final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    // Selenium warns on every start that it has no DevTools bindings for this Chromium version; the
    // tests only send raw CDP commands, which need none. Held in a field: JUL keeps loggers weakly.
    private static final Logger CDP_VERSION_FINDER = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * On CI a missing browser is a broken machine (scripts/test.sh installs it), so the test fails;
     * on a developer's machine it is skipped with the command that fixes it.
     */
    public static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver, or run scripts/test.sh)";
        if (System.getenv("CI") != null) {
            fail("CI is set but " + message);
        }
        assumeTrue(false, "skipped: " + message);
    }

    public static HeadlessChromium launch(String... extraArguments) {
        requireInstalled();
        Path profile = createProfileDir();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-sync", "--disable-extensions", "--window-size=1280,900",
                // only the loopback servers of the test are reachable by name
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
                "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return new HeadlessChromium(driver, profile);
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Forgets every cookie (the SSO session included), so each test starts signed out. */
    /** Waits up to 20 s for the element to be visible on the current page; the element. */
    public WebElement waitFor(By locator) {
        return new WebDriverWait(driver(), Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** On Tessera's sign-in page, once it shows: types the username and the password and sends the form. */
    public void signIn(String username, String password) {
        waitFor(By.id("username")).sendKeys(username);
        driver().findElement(By.id("password")).sendKeys(password);
        submit();
    }

    /** Presses the submit button of the page's form (sign-in, code step, enrolment). */
    public void submit() {
        driver().findElement(By.cssSelector("form button[type=submit]")).click();
    }

    public void clearCookies() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteRecursively(profile);
        }
    }

    private static Path createProfileDir() {
        try {
            return Files.createTempDirectory("tessera-chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // a leftover temp profile is harmless; Chromium may still be releasing a file
        }
    }
}
