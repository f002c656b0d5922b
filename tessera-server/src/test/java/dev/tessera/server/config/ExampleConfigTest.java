package dev.tessera.server.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * config/tessera.example.yaml of the release archive (and /etc/tessera/tessera.yaml of the OCI image) passes the
 * server's own validation once its secrets are in the environment, and holds no secret itself.
 */
class ExampleConfigTest {
    static final Path EXAMPLE = Path.of("src/dist/config/tessera.example.yaml");
    private static final Map<String, String> SECRETS = Map.of(
            "TESSERA_DB_PASSWORD", "a database password from the environment",
            "WEB_CLIENT_SECRET", "web-client-secret-0123456789-0123456789");

    @Test
    void theExampleLoadsWithItsSecretsFromTheEnvironment() {
        TesseraConfig config = ConfigLoader.load(EXAMPLE, SECRETS);

        assertThat(config.issuer()).startsWith("https://");
        assertThat(config.storage().type()).isEqualTo(StorageConfig.POSTGRES);
        assertThat(config.storage().url()).isEqualTo("jdbc:postgresql://localhost:5432/tessera");
        assertThat(config.storage().password()).isEqualTo(SECRETS.get("TESSERA_DB_PASSWORD"));
        assertThat(config.keys().generate()).as("production keys are provisioned, never generated").isFalse();
        assertThat(config.keys().dir()).isEqualTo(Path.of("/etc/tessera/keys"));
        assertThat(config.metrics().port()).as("metrics off the public port").isNotZero().isNotEqualTo(config.http().port());
        assertThat(config.http().trustedProxies()).isNotEmpty();
        assertThat(config.clients()).singleElement().satisfies(client -> assertThat(client.id()).isEqualTo("web"));
    }

    @Test
    void withoutItsSecretsTheExampleStopsStartupNamingEachVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(EXAMPLE, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TESSERA_DB_PASSWORD")
                .hasMessageContaining("WEB_CLIENT_SECRET");
    }

    @Test
    void everySecretOrPasswordInTheExampleComesFromTheEnvironment() throws Exception {
        String yaml = Files.readString(EXAMPLE, StandardCharsets.UTF_8);
        Matcher secrets = Pattern.compile("(?m)^\\s*(?:-\\s*)?(secret|password|secretHash|passwordHash|pairwiseSalt):\\s*(\\S.*)$")
                .matcher(yaml);
        int found = 0;
        while (secrets.find()) {
            found++;
            assertThat(secrets.group(2)).as(secrets.group(1)).startsWith("${");
        }
        assertThat(found).isGreaterThanOrEqualTo(2);
    }
}
