package dev.tessera.server.release;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launchers pass {@code -XX:TrimNativeHeapInterval} only to a JVM that knows it: a JVM refuses to start on an
 * unknown {@code -XX} option, so a wrong guess here would stop Tessera from starting on an older Java 17. The
 * launchers' function reads the runtime's {@code release} file; these runtimes are fakes with only that file.
 */
class LauncherTrimOptionTest {
    private static final Path SCRIPT = Path.of("src/dist/bin/tessera-jvm.sh");
    private static final String TRIM = "-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=2000";

    @TempDir
    Path dir;

    @Test
    void javaVersionsWithTheOptionGetIt() throws Exception {
        for (String version : List.of("17.0.9", "17.0.15", "21.0.1", "21.0.5", "22", "25.0.1")) {
            assertThat(optionFor("JAVA_VERSION=\"" + version + "\"")).as(version).isEqualTo(TRIM);
        }
    }

    @Test
    void javaVersionsBeforeTheOptionGetNothing() throws Exception {
        for (String version : List.of("17", "17.0.2", "17.0.8", "18.0.2", "20.0.2", "21", "11.0.25")) {
            assertThat(optionFor("JAVA_VERSION=\"" + version + "\"")).as(version).isEmpty();
        }
    }

    @Test
    void aRuntimeWhoseVersionCannotBeReadGetsNothing() throws Exception {
        assertThat(optionFor(null)).as("no release file").isEmpty();
        assertThat(optionFor("IMPLEMENTOR=\"Someone\"")).as("no JAVA_VERSION line").isEmpty();
        assertThat(optionFor("JAVA_VERSION=\"26-ea\"")).as("early access").isEmpty();
        assertThat(optionFor("JAVA_VERSION=\"x.y\"")).as("garbage").isEmpty();
    }

    @Test
    void theJavaCommandIsFollowedThroughSymlinksToItsRuntime() throws Exception {
        Path runtime = fakeRuntime("JAVA_VERSION=\"17.0.15\"");
        Path link = Files.createSymbolicLink(dir.resolve("java"), runtime.resolve("bin/java"));
        assertThat(run(link.toString())).isEqualTo(TRIM);
    }

    private String optionFor(String releaseLine) throws Exception {
        return run(fakeRuntime(releaseLine).resolve("bin/java").toString());
    }

    private Path fakeRuntime(String releaseLine) throws IOException {
        Path runtime = Files.createTempDirectory(dir, "jdk");
        Files.createDirectories(runtime.resolve("bin"));
        Files.writeString(runtime.resolve("bin/java"), "#!/bin/sh\nexit 1\n");
        runtime.resolve("bin/java").toFile().setExecutable(true);
        if (releaseLine != null) {
            Files.writeString(runtime.resolve("release"), "IMPLEMENTOR=\"Test\"\n" + releaseLine + "\n");
        }
        return runtime;
    }

    private static String run(String java) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", ". \"$1\"; java=\"$2\"; tessera_trim_option", "sh",
                SCRIPT.toAbsolutePath().toString(), java).redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
