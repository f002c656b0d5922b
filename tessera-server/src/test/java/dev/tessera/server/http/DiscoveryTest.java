package dev.tessera.server.http;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** OIDC Discovery 1.0 and RFC 8414 metadata: present, exact, and true to the running server. */
class DiscoveryTest {
    private static final String OIDC = "/.well-known/openid-configuration";
    private static final String RFC8414 = "/.well-known/oauth-authorization-server";

    static TesseraTestServer server;
    static TokenClient.Response document;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start();
        document = server.tokenClient().get(OIDC, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void claimsParameterIsSupportedAndVerifiedClaimsAreNotWhenNoUserCarriesAny() {
        assertThat(document.json()).containsEntry("claims_parameter_supported", true)
                .containsEntry("verified_claims_supported", false)
                .doesNotContainKeys("trust_frameworks_supported", "evidence_supported",
                        "claims_in_verified_claims_supported");
    }

    @Test
    void verifiedClaimsMetadataListsWhatTheUsersCarry() {
        try (TesseraTestServer withVerified = TesseraTestServer.start(config -> config.withUsers(List.of(
                dev.tessera.server.config.UserConfig.builder("max").password("max's long test password 1")
                        .verifiedClaims(java.util.Map.of(
                                "verification", java.util.Map.of("trust_framework", "de_aml", "evidence", List.of(
                                        java.util.Map.of("type", "document",
                                                "document_details", java.util.Map.of("type", "idcard")))),
                                "claims", java.util.Map.of("given_name", "Max", "birthdate", "1956-01-28")))
                        .build())))) {
            TokenClient.Response metadata = withVerified.tokenClient().get(OIDC, null);

            assertThat(metadata.json()).containsEntry("verified_claims_supported", true)
                    .containsEntry("trust_frameworks_supported", List.of("de_aml"))
                    .containsEntry("evidence_supported", List.of("document"))
                    .containsEntry("documents_supported", List.of("idcard"))
                    .containsEntry("claims_in_verified_claims_supported", List.of("birthdate", "given_name"));
            assertThat(String.valueOf(metadata.json().get("claims_supported"))).contains("verified_claims");
        }
    }

    @Test
    void openidConfigurationIsServedAsJson() {
        assertThat(document.status()).isEqualTo(200);
        assertThat(document.header("Content-Type")).startsWith("application/json");
        assertThat(document.json()).isNotEmpty();
    }

    @Test
    void openidConfigurationMayBeCachedForAnHour() {
        assertThat(document.header("Cache-Control")).isEqualTo("public, max-age=3600");
    }

    @Test
    void issuerIsExactlyTheConfiguredIssuer() {
        assertThat(document.string("issuer")).isEqualTo(server.issuer());
        assertThat(server.issuer()).doesNotEndWith("/");
    }

    @Test
    void authorizationServerMetadataAtTheRfc8414PathIsTheSameDocument() {
        TokenClient.Response rfc8414 = server.tokenClient().get(RFC8414, null);

        assertThat(rfc8414.status()).isEqualTo(200);
        assertThat(rfc8414.header("Content-Type")).startsWith("application/json");
        assertThat(rfc8414.string("issuer")).isEqualTo(server.issuer());
        assertThat(rfc8414.json()).isEqualTo(document.json());
    }

    @Test
    void everyEndpointIsBasedOnTheIssuer() {
        assertThat(document.string("authorization_endpoint")).isEqualTo(server.issuer() + "/authorize");
        assertThat(document.string("token_endpoint")).isEqualTo(server.issuer() + "/token");
        assertThat(document.string("userinfo_endpoint")).isEqualTo(server.issuer() + "/userinfo");
        assertThat(document.string("jwks_uri")).isEqualTo(server.issuer() + "/.well-known/jwks.json");
    }

    @Test
    void advertisedEndpointsAreServed() {
        TokenClient client = server.tokenClient();

        assertThat(client.get(path("jwks_uri"), null).status()).isEqualTo(200);
        assertThat(client.get(path("userinfo_endpoint"), null).status()).as("no token, but not 404").isEqualTo(401);
        assertThat(client.post(path("token_endpoint"), null, "grant_type=authorization_code").status())
                .as("no client, but not 404").isEqualTo(401);
        assertThat(client.get(path("authorization_endpoint"), null).status()).as("no client_id, but not 404")
                .isEqualTo(400);
    }

    @Test
    void requiredMembersArePresent() {
        assertThat(document.json()).containsKeys("issuer", "authorization_endpoint", "token_endpoint",
                "userinfo_endpoint", "jwks_uri", "response_types_supported", "subject_types_supported",
                "id_token_signing_alg_values_supported", "scopes_supported", "claims_supported",
                "grant_types_supported", "token_endpoint_auth_methods_supported", "code_challenge_methods_supported",
                "response_modes_supported", "authorization_response_iss_parameter_supported");
    }

    @Test
    void onlyTheCodeResponseTypeIsAdvertised() {
        assertThat(list("response_types_supported")).containsExactly("code");
    }

    @Test
    void pkceMethodsAreExactlyS256() {
        assertThat(list("code_challenge_methods_supported")).containsExactly("S256");
    }

    @Test
    void responseModesAreQueryAndFormPost() {
        assertThat(list("response_modes_supported")).containsExactlyInAnyOrder("query", "form_post");
    }

    @Test
    void issParameterInAuthorizationResponsesIsAdvertised() {
        assertThat(document.json().get("authorization_response_iss_parameter_supported")).isEqualTo(true);
    }

    @Test
    void requestObjectsAreAdvertisedAsUnsupported() {
        assertThat(document.json().get("request_parameter_supported")).isEqualTo(false);
        assertThat(document.json().get("request_uri_parameter_supported")).isEqualTo(false);
    }

    @Test
    void claimsParameterSupportIsABooleanAndHonoured() {
        Object supported = document.json().get("claims_parameter_supported");
        assertThat(supported).isInstanceOf(Boolean.class);
        if (Boolean.TRUE.equals(supported)) {
            String query = AuthorizeQuery.web("claims").with("claims", "{\"id_token\":{\"email\":null}}").encoded();
            var page = server.userAgent().get("/authorize?" + query);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("name=\"password\"");
        }
    }

    @Test
    void acrValuesSupportedAreTheConfiguredLevelsWeakestFirst() {
        assertThat(list("acr_values_supported")).containsExactly("urn:tessera:acr:pwd", "urn:tessera:acr:mfa");
    }

    @Test
    void openidScopeAndSubClaimAreAdvertised() {
        assertThat(list("scopes_supported")).contains("openid");
        assertThat(list("claims_supported")).contains("sub", "iss", "auth_time");
        assertThat(list("subject_types_supported")).contains("public");
    }

    @Test
    void signingAlgorithmsIncludeRs256AndMatchPublishedKeys() throws Exception {
        List<String> algorithms = list("id_token_signing_alg_values_supported");
        JWKSet jwks = JWKSet.parse(server.tokenClient().get(path("jwks_uri"), null).body());
        Set<String> published = jwks.getKeys().stream().map(JWK::getAlgorithm).map(Object::toString)
                .collect(Collectors.toSet());

        assertThat(algorithms).contains("RS256").doesNotContain("none", "HS256");
        assertThat(published).containsAll(algorithms);
    }

    @Test
    void everyAdvertisedGrantTypeIsAcceptedByTheTokenEndpoint() {
        List<String> grantTypes = list("grant_types_supported");
        assertThat(grantTypes).contains("authorization_code", "refresh_token", "client_credentials");
        for (String grantType : grantTypes) {
            TokenClient.Response response = server.tokenClient().post("/token", null, "grant_type=" + grantType);
            assertThat(response.error()).as(grantType).isNotNull().isNotEqualTo("unsupported_grant_type");
        }
    }

    @Test
    void grantTypesThatAreNotAdvertisedAreRefusedByTheTokenEndpoint() {
        List<String> grantTypes = list("grant_types_supported");
        for (String grantType : List.of("password", "implicit", "urn:ietf:params:oauth:grant-type:device_code",
                "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:jwt-bearer")) {
            if (grantTypes.contains(grantType)) {
                continue;
            }
            TokenClient.Response response = server.tokenClient().token(TesseraTestServer.WEB,
                    TesseraTestServer.WEB_SECRET, java.util.Map.of("grant_type", grantType));
            assertThat(response.error()).as(grantType).isEqualTo("unsupported_grant_type");
        }
    }

    @Test
    void crossAppAccessIsNotAdvertisedWhileItIsDisabled() {
        // The default test server enables neither tokenExchange nor trustedIssuers; CrossAppAccessTest checks the
        // same members appear once they are enabled, so this cannot pass by never advertising them.
        assertThat(list("grant_types_supported")).doesNotContain("urn:ietf:params:oauth:grant-type:token-exchange",
                "urn:ietf:params:oauth:grant-type:jwt-bearer");
        assertThat(document.json()).doesNotContainKeys("identity_chaining_requested_token_types_supported",
                "authorization_grant_profiles_supported");
    }

    @Test
    void tokenEndpointAuthMethodsIncludeBasicAndPost() {
        assertThat(list("token_endpoint_auth_methods_supported")).contains("client_secret_basic", "client_secret_post");
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(String member) {
        Object value = document.json().get(member);
        assertThat(value).as(member).isInstanceOf(List.class);
        return (List<String>) value;
    }

    private static String path(String member) {
        return URI.create(document.string(member)).getRawPath();
    }
}
