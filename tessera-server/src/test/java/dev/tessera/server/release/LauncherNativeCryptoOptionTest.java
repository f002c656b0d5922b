package dev.tessera.server.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launchers point the Corretto provider at the native library the build unpacked (lib/native) only when it is
 * there: with {@code useExternalLib} and no library the provider would not load at all, where without the option it
 * still unpacks its own copy. ReleaseArchiveIT checks the real archive maps the library from lib/native.
 */
class LauncherNativeCryptoOptionTest {
    private static final Path SCRIPT = Path.of("src/dist/bin/tessera-jvm.sh");

    @TempDir
    Path dir;

    @Test
    void aDirectoryWithTheLibraryIsWhereTheProviderLoadsItFrom() throws Exception {
        Files.writeString(dir.resolve("libamazonCorrettoCryptoProvider.so"), "stand-in");

        assertThat(optionFor(dir)).isEqualTo("-Dcom.amazon.corretto.crypto.provider.useExternalLib=true"
                + " -Djava.library.path=" + dir);
    }

    @Test
    void withoutTheLibraryTheProviderKeepsItsOwnWay() throws Exception {
        assertThat(optionFor(dir)).as("empty directory").isEmpty();
        assertThat(optionFor(dir.resolve("missing"))).as("no directory").isEmpty();
    }

    private static String optionFor(Path directory) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", ". \"$1\"; tessera_native_crypto_option \"$2\"", "sh",
                SCRIPT.toAbsolutePath().toString(), directory.toString()).redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
