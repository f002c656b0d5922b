package dev.tessera.server.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Saves what the browser showed: named shots for people to look at, and, as a JUnit extension, a shot
 * of the page a test failed on, so a red build comes with a picture of the problem.
 */
public final class Screenshots implements TestExecutionExceptionHandler {
    private final Path dir;
    private final Supplier<WebDriver> driver;

    public Screenshots(Path dir, Supplier<WebDriver> driver) {
        this.dir = dir;
        this.driver = driver;
    }

    public Path save(String name) {
        WebDriver current = driver.get();
        if (!(current instanceof TakesScreenshot camera)) {
            throw new IllegalStateException("no browser to take a screenshot with");
        }
        return write(name, camera.getScreenshotAs(OutputType.BYTES));
    }

    Path write(String name, byte[] png) {
        try {
            Files.createDirectories(dir);
            return Files.write(dir.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        try {
            Path shot = save(context.getRequiredTestClass().getSimpleName() + "-"
                    + context.getRequiredTestMethod().getName() + "-FAILED");
            failure.addSuppressed(new AssertionError("screenshot of the failing page: " + shot.toAbsolutePath()));
        } catch (RuntimeException cannotShoot) {
            failure.addSuppressed(cannotShoot);
        }
        throw failure;
    }
}
