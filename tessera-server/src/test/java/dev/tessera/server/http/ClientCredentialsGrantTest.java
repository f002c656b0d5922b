package dev.tessera.server.http;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.http.OAuthErrorChecks.assertOAuthError;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6749 §4.4 at /token, and the RFC 9068 access token it returns. */
class ClientCredentialsGrantTest {
    static final String API_CLIENT = "api-client";
    static final String API_SECRET = "api-client-secret-0123456789-0123456789";
    static final String API_AUDIENCE = "https://api.example.test";

    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(API_CLIENT).secret(API_SECRET).grantTypes(List.of("client_credentials"))
                    .scopes(List.of("api.read")).audience(List.of(API_AUDIENCE)).build());
            return config.withClients(clients);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TokenClient.Response serviceToken(Map<String, String> extra) {
        Map<String, String> form = new java.util.LinkedHashMap<>(extra);
        form.put("grant_type", "client_credentials");
        return server.tokenClient().token(SERVICE, SERVICE_SECRET, form);
    }

    private static SignedJWT accessToken(TokenClient.Response response) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return SignedJWT.parse(response.string("access_token"));
    }

    @Test
    void theSubjectAndClientIdClaimAreTheClientId() throws Exception {
        JWTClaimsSet claims = accessToken(serviceToken(Map.of())).getJWTClaimsSet();

        assertThat(claims.getSubject()).isEqualTo(SERVICE);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(SERVICE);
        assertThat(claims.getIssuer()).isEqualTo(server.issuer());
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getClaims()).doesNotContainKeys("auth_time", "amr", "roles");
    }

    @Test
    void theAudienceIsTheClientIdWhenNoAudienceIsConfigured() throws Exception {
        assertThat(accessToken(serviceToken(Map.of())).getJWTClaimsSet().getAudience()).containsExactly(SERVICE);
    }

    @Test
    void theAudienceIsTheConfiguredAudienceWhenThereIsOne() throws Exception {
        TokenClient.Response response = server.tokenClient().token(API_CLIENT, API_SECRET,
                Map.of("grant_type", "client_credentials"));

        assertThat(accessToken(response).getJWTClaimsSet().getAudience()).containsExactly(API_AUDIENCE);
    }

    @Test
    void theTokenIsAnRs256AtJwtWhoseKidIsPublishedAndWhoseSignatureVerifies() throws Exception {
        SignedJWT token = accessToken(serviceToken(Map.of()));

        assertThat(token.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        JWK key = TokenFlows.jwks(server).getKeyByKeyId(token.getHeader().getKeyID());
        assertThat(key).isInstanceOf(RSAKey.class);
        assertThat(token.verify(new DefaultJWSVerifierFactory()
                .createJWSVerifier(token.getHeader(), ((RSAKey) key).toPublicKey()))).isTrue();
    }

    @Test
    void withoutAScopeParameterTheTokenCarriesEveryScopeOfTheClient() throws Exception {
        TokenClient.Response response = serviceToken(Map.of());

        assertThat(TokenFlows.scopeSet(response.string("scope"))).containsExactlyInAnyOrder("api.read", "api.write");
        assertThat(TokenFlows.scopeSet(accessToken(response).getJWTClaimsSet().getStringClaim("scope")))
                .containsExactlyInAnyOrder("api.read", "api.write");
    }

    @Test
    void aScopeParameterNarrowsTheToken() throws Exception {
        TokenClient.Response response = serviceToken(Map.of("scope", "api.read"));

        assertThat(response.string("scope")).isEqualTo("api.read");
        assertThat(accessToken(response).getJWTClaimsSet().getStringClaim("scope")).isEqualTo("api.read");
    }

    @Test
    void aScopeTheClientDoesNotHaveIsInvalidScope() {
        assertOAuthError(serviceToken(Map.of("scope", "api.read api.admin")), 400, "invalid_scope");
    }

    @Test
    void openidIsInvalidScopeWithoutAUser() {
        assertOAuthError(serviceToken(Map.of("scope", "openid")), 400, "invalid_scope");
    }

    @Test
    void theResponseHasNoRefreshTokenAndNoIdToken() {
        TokenClient.Response response = serviceToken(Map.of());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).doesNotContainKeys("refresh_token", "id_token");
        assertThat(response.string("token_type")).isEqualTo("Bearer");
        assertThat(((Number) response.json().get("expires_in")).longValue()).isEqualTo(900);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("Pragma")).isEqualTo("no-cache");
    }

    @Test
    void aMalformedScopeIsInvalidScope() {
        // RFC 6749 §3.3: scope tokens exclude '"' and '\'; the description must not echo them.
        TokenClient.Response response = server.tokenClient().tokenRaw(TokenClient.basic(SERVICE, SERVICE_SECRET),
                UserAgent.encode(Map.of("grant_type", "client_credentials", "scope", "api.read \"quoted\\")));

        assertOAuthError(response, 400, "invalid_scope");
    }
}
