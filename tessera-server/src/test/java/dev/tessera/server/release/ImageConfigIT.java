package dev.tessera.server.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OCI image as Jib builds it (on the empty scratch base, as no registry is reachable here; any base gets the
 * same configuration and application layers): it runs as a non-root user, starts the server with the documented
 * command, and the only directories anyone but root may write are its two volumes, so it runs with a read-only
 * root filesystem. {@link ReleaseArchiveIT} shows the server itself writes nowhere else.
 */
class ImageConfigIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VOLUMES = List.of("/var/lib/tessera", "/tmp");

    private static JsonNode config;
    private static Map<String, Integer> modes; // every path in the application layers -> its mode

    @BeforeAll
    static void readImage() throws IOException {
        Path tar = Path.of(System.getProperty("tessera.imageCheck", "target/image-config-check/image.tar"));
        assertThat(tar).as("built by jib:buildTar at pre-integration-test; run through ./mvnw verify").isRegularFile();
        Map<String, byte[]> image = entries(Files.readAllBytes(tar), false);
        JsonNode index = JSON.readTree(image.get("index.json"));
        JsonNode manifest = JSON.readTree(blob(image, index.path("manifests").get(0).path("digest").asText()));
        config = JSON.readTree(blob(image, manifest.path("config").path("digest").asText())).path("config");
        modes = new LinkedHashMap<>();
        for (JsonNode layer : manifest.path("layers")) {
            try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(blob(image, layer.path("digest").asText())))) {
                entries(gzip.readAllBytes(), true).forEach((path, mode) -> modes.put(path, modeOf(mode)));
            }
        }
    }

    @Test
    void runsAsTheNonRootUser65532() {
        assertThat(config.path("User").asText()).isEqualTo("65532:65532");
    }

    @Test
    void startsTheServerWithTheMountedConfigAndTheLauncherFlags() {
        assertThat(strings(config.path("Entrypoint"))).startsWith("java")
                .contains("-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData")
                .endsWith("dev.tessera.server.Main");
        assertThat(strings(config.path("Cmd"))).containsExactly("serve", "--config", "/etc/tessera/tessera.yaml");
        // the launchers' memory defaults, in the environment so that an operator can replace them
        assertThat(strings(config.path("Env"))).contains("TESSERA_LOG_FORMAT=json",
                "JAVA_TOOL_OPTIONS=-XX:+UseSerialGC -Xms24m -Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps"
                        + " -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=2000",
                "MALLOC_ARENA_MAX=2");
        assertThat(strings(config.path("Entrypoint"))).noneMatch(flag -> flag.startsWith("-Xm") || flag.contains("GC"));
        assertThat(modes).containsKeys("etc/tessera/tessera.example.yaml", "app/jib-classpath-file");
        // the signing library is loaded in place from the image, not unpacked into /tmp at every start
        assertThat(strings(config.path("Entrypoint"))).contains(
                "-Dcom.amazon.corretto.crypto.provider.useExternalLib=true", "-Djava.library.path=/app/native");
        assertThat(modes).containsKey("app/native/libamazonCorrettoCryptoProvider.so");
    }

    @Test
    void exposesTheHttpAndMetricsPorts() {
        assertThat(names(config.path("ExposedPorts"))).containsExactlyInAnyOrder("8080/tcp", "9090/tcp");
    }

    @Test
    void writesOnlyToItsTwoVolumesSoTheRootFilesystemCanBeReadOnly() {
        assertThat(names(config.path("Volumes"))).containsExactlyInAnyOrderElementsOf(VOLUMES);
        assertThat(config.path("WorkingDir").asText()).as("relative paths land on the data volume").isEqualTo("/var/lib/tessera");
        for (String volume : VOLUMES) {
            // Jib writes files as root: the volume directories must let uid 65532 write (a fresh volume copies the mode).
            assertThat(modes.get(volume.substring(1) + "/")).as(volume).isEqualTo(0777);
        }
        List<String> writableByOthers = new ArrayList<>();
        modes.forEach((path, mode) -> {
            boolean inVolume = VOLUMES.stream().anyMatch(volume -> ("/" + path).startsWith(volume + "/"));
            if ((mode & 0022) != 0 && !inVolume) {
                writableByOthers.add(path);
            }
        });
        assertThat(writableByOthers).as("files or directories outside the volumes that uid 65532 could change").isEmpty();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static byte[] blob(Map<String, byte[]> image, String digest) {
        byte[] bytes = image.get("blobs/sha256/" + digest.substring("sha256:".length()));
        assertThat(bytes).as(digest).isNotNull();
        return bytes;
    }

    private static int modeOf(byte[] header) {
        return Integer.parseInt(field(header, 100, 8).trim(), 8) & 07777;
    }

    /**
     * A POSIX tar's entries by path: the content, or with {@code headers} the 512-byte header (for the mode).
     * Reads what Jib writes: ustar headers, with PAX extended headers that may carry a long path.
     */
    private static Map<String, byte[]> entries(byte[] tar, boolean headers) {
        Map<String, byte[]> entries = new HashMap<>();
        String paxPath = null;
        for (int at = 0; at + 512 <= tar.length && tar[at] != 0; ) {
            byte[] header = java.util.Arrays.copyOfRange(tar, at, at + 512);
            int size = Integer.parseInt(field(header, 124, 12).trim(), 8);
            char type = (char) header[156];
            byte[] content = java.util.Arrays.copyOfRange(tar, at + 512, at + 512 + size);
            at += 512 + (size + 511) / 512 * 512;
            if (type == 'x') {
                paxPath = paxPath(new String(content, StandardCharsets.UTF_8));
                continue;
            }
            if (type == 'g') {
                continue;
            }
            String prefix = field(header, 345, 155);
            String path = paxPath != null ? paxPath
                    : prefix.isEmpty() ? field(header, 0, 100) : prefix + "/" + field(header, 0, 100);
            paxPath = null;
            entries.put(path.startsWith("./") ? path.substring(2) : path, headers ? header : content);
        }
        return entries;
    }

    // PAX records are "<length> <key>=<value>\n"
    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }
}
