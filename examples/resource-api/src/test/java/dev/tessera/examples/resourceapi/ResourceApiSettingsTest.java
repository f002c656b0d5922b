package dev.tessera.examples.resourceapi;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceApiSettingsTest {

    private static ResourceApiSettings settings(Map<String, String> environment) {
        return ResourceApiSettings.from(environment::get);
    }

    @Test
    void withNothingSetTheApiTargetsTheDevServerAndRequiresApiReadFromDemoAppTokens() {
        ResourceApiSettings settings = settings(Map.of());

        assertThat(settings.issuer()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(9090);
        assertThat(settings.audiences()).containsExactly("demo-app");
        assertThat(settings.requiredScopes()).containsExactly("api.read");
        assertThat(settings.introspection()).isNull();
    }

    @Test
    void audiencesAreSeparatedByCommasAndScopesBySpaces() {
        ResourceApiSettings settings = settings(Map.of(
                ResourceApiSettings.AUDIENCE, "https://api.example.com, demo-app",
                ResourceApiSettings.SCOPE, "api.read  api.write"));

        assertThat(settings.audiences()).containsExactly("https://api.example.com", "demo-app");
        assertThat(settings.requiredScopes()).containsExactlyInAnyOrder("api.read", "api.write");
    }

    @Test
    void introspectionModeUsesTheIssuersIntrospectEndpointAndTheGivenClient() {
        ResourceApiSettings settings = settings(Map.of(
                ResourceApiSettings.ISSUER, "http://127.0.0.1:8081/",
                ResourceApiSettings.INTROSPECTION, "TRUE",
                ResourceApiSettings.CLIENT_ID, "orders-api",
                ResourceApiSettings.CLIENT_SECRET, "s3cret-value",
                ResourceApiSettings.INTROSPECTION_CACHE_SECONDS, "0"));

        assertThat(settings.introspection().endpoint()).isEqualTo(URI.create("http://127.0.0.1:8081/introspect"));
        assertThat(settings.introspection().clientId()).isEqualTo("orders-api");
        assertThat(settings.introspection().cacheTtl()).isEqualTo(Duration.ZERO);
    }

    @Test
    void introspectionModeWithoutAClientSecretIsRefused() {
        assertThatThrownBy(() -> settings(Map.of(ResourceApiSettings.INTROSPECTION, "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ResourceApiSettings.CLIENT_SECRET);
    }

    @Test
    void theClientSecretNeverAppearsWhenTheSettingsArePrinted() {
        ResourceApiSettings settings = settings(Map.of(
                ResourceApiSettings.INTROSPECTION, "true",
                ResourceApiSettings.CLIENT_SECRET, "do-not-print-me"));

        assertThat(settings.toString()).doesNotContain("do-not-print-me");
    }

    @Test
    void aPortOutsideTheTcpRangeIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> settings(Map.of(ResourceApiSettings.PORT, "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("API_PORT");
        assertThatThrownBy(() -> settings(Map.of(ResourceApiSettings.PORT, "nine")))
                .hasMessageContaining("API_PORT");
    }

    @Test
    void anIssuerThatIsNotAnAbsoluteHttpUrlIsRefused() {
        assertThatThrownBy(() -> settings(Map.of(ResourceApiSettings.ISSUER, "127.0.0.1:8080")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TESSERA_ISSUER");
    }

    @Test
    void anIntrospectionFlagThatIsNeitherTrueNorFalseIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> settings(Map.of(ResourceApiSettings.INTROSPECTION, "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TESSERA_INTROSPECTION");
    }

    @Test
    void anAudienceListOfOnlySeparatorsIsRefused() {
        assertThatThrownBy(() -> settings(Map.of(ResourceApiSettings.AUDIENCE, " , ,")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("API_AUDIENCE");
    }

    @Test
    void blankValuesCountAsUnset() {
        Map<String, String> environment = new HashMap<>();
        environment.put(ResourceApiSettings.PORT, "  ");
        environment.put(ResourceApiSettings.SCOPE, "");

        assertThat(settings(environment).port()).isEqualTo(9090);
        assertThat(settings(environment).requiredScopes()).containsExactly("api.read");
    }

    @Test
    void aSystemPropertyOverridesTheEnvironment() {
        System.setProperty("api.port", "9191");
        try {
            assertThat(ResourceApiSettings.fromEnvironment().port()).isEqualTo(9191);
        } finally {
            System.clearProperty("api.port");
        }
    }

    @Test
    void systemPropertyNamesAreTheVariableNamesInLowerCaseWithDots() {
        assertThat(ResourceApiSettings.propertyName("TESSERA_INTROSPECTION_CACHE_SECONDS"))
                .isEqualTo("tessera.introspection.cache.seconds");
    }
}
