package dev.tessera.server.http;

import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.Flows;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE;
import static dev.tessera.server.testsupport.TesseraTestServer.SERVICE_SECRET;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7662 introspection and RFC 7009 revocation, for JWT and opaque access tokens and refresh tokens. */
class IntrospectionRevocationTest {
    static final String OPAQUE = "opaque-app";
    static final String OPAQUE_SECRET = "opaque-secret-0123456789-0123456789-abc";
    static final String GATEKEEPER = "gatekeeper";
    static final String GATEKEEPER_SECRET = "gatekeeper-secret-0123456789-0123456789";
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(OPAQUE).secret(OPAQUE_SECRET).grantTypes(List.of("client_credentials"))
                    .scopes(List.of("api.read")).accessTokenFormat("opaque").build());
            clients.add(ClientConfig.builder(GATEKEEPER).secret(GATEKEEPER_SECRET).grantTypes(List.of("client_credentials"))
                    .scopes(List.of("api.read")).introspect(true).build());
            return config.withClients(clients);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private TokenClient.Response introspect(String clientId, String secret, String token) {
        return server.tokenClient().post("/introspect", TokenClient.basic(clientId, secret),
                "token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8));
    }

    private TokenClient.Response revoke(String clientId, String secret, String token) {
        return server.tokenClient().post("/revoke", TokenClient.basic(clientId, secret),
                "token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8));
    }

    private String serviceToken() {
        return server.tokenClient().token(SERVICE, SERVICE_SECRET, Map.of("grant_type", "client_credentials")).string("access_token");
    }

    @Test
    void activeJwtAccessTokenCarriesEveryRfc7662Member() {
        TokenClient.Response tokens = Flows.aliceAtWeb(server);
        TokenClient.Response answer = introspect(WEB, WEB_SECRET, tokens.string("access_token"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.json()).containsEntry("active", true).containsEntry("client_id", WEB)
                .containsEntry("username", TesseraTestServer.ALICE).containsEntry("token_type", "Bearer")
                .containsEntry("iss", server.issuer())
                .containsKeys("sub", "scope", "exp", "iat", "nbf", "aud", "jti");
        assertThat(answer.string("scope")).contains("openid").contains("email");
    }

    @Test
    void refreshTokenIntrospectsAsActiveForItsClient() {
        TokenClient.Response tokens = Flows.aliceAtWeb(server);
        TokenClient.Response answer = server.tokenClient().post("/introspect", TokenClient.basic(WEB, WEB_SECRET),
                "token=" + tokens.string("refresh_token") + "&token_type_hint=refresh_token");
        assertThat(answer.json()).containsEntry("active", true).containsEntry("token_type", "refresh_token")
                .containsEntry("client_id", WEB);
    }

    @Test
    void aRefreshTokenIsReportedAsARefreshTokenWithNoAudienceAnApiCouldAccept() {
        // A resource server whose audience is the client id must not mistake an active refresh token for an
        // access token: token_type says what it is, and no aud claims it for anyone but this server.
        TokenClient.Response tokens = Flows.aliceAtWeb(server);
        TokenClient.Response answer = introspect(WEB, WEB_SECRET, tokens.string("refresh_token"));

        assertThat(answer.json()).containsEntry("active", true).containsEntry("token_type", "refresh_token")
                .doesNotContainKey("aud");
    }

    @Test
    void aClientCannotIntrospectAnotherClientsTokenUnlessTrusted() {
        String token = serviceToken();
        assertThat(introspect(WEB, WEB_SECRET, token).json()).isEqualTo(Map.of("active", false));
        assertThat(introspect(GATEKEEPER, GATEKEEPER_SECRET, token).json()).containsEntry("active", true)
                .containsEntry("client_id", SERVICE);
    }

    @Test
    void introspectionRequiresClientAuthentication() {
        TokenClient.Response anonymous = server.tokenClient().post("/introspect", null, "token=" + serviceToken());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.error()).isEqualTo("invalid_client");
        TokenClient.Response wrongSecret = introspect(SERVICE, "not-the-secret", serviceToken());
        assertThat(wrongSecret.status()).isEqualTo(401);
    }

    @Test
    void garbageForeignAndAlgNoneTokensAreInactive() {
        assertThat(introspect(GATEKEEPER, GATEKEEPER_SECRET, "garbage").json()).isEqualTo(Map.of("active", false));
        String real = serviceToken();
        String[] parts = real.split("\\.");
        String none = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes()) + "." + parts[1] + ".";
        assertThat(introspect(GATEKEEPER, GATEKEEPER_SECRET, none).json()).isEqualTo(Map.of("active", false));
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertThat(introspect(GATEKEEPER, GATEKEEPER_SECRET, tampered).json()).isEqualTo(Map.of("active", false));
    }

    @Test
    void expiredTokenIsInactive() {
        try (TesseraTestServer own = TesseraTestServer.start()) {
            String token = own.tokenClient().token(SERVICE, SERVICE_SECRET, Map.of("grant_type", "client_credentials"))
                    .string("access_token");
            own.clock().advance(Duration.ofMinutes(16));
            TokenClient.Response answer = own.tokenClient().post("/introspect", TokenClient.basic(SERVICE, SERVICE_SECRET),
                    "token=" + token);
            assertThat(answer.json()).isEqualTo(Map.of("active", false));
        }
    }

    @Test
    void revokedAccessTokenIsRejectedByIntrospectionAndUserinfoAtOnce() {
        TokenClient.Response tokens = Flows.aliceAtWeb(server);
        String access = tokens.string("access_token");
        assertThat(server.tokenClient().get("/userinfo", "Bearer " + access).status()).isEqualTo(200);
        TokenClient.Response revoked = revoke(WEB, WEB_SECRET, access);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(introspect(WEB, WEB_SECRET, access).json()).isEqualTo(Map.of("active", false));
        TokenClient.Response userinfo = server.tokenClient().get("/userinfo", "Bearer " + access);
        assertThat(userinfo.status()).isEqualTo(401);
        assertThat(userinfo.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void revokingARefreshTokenEndsTheFamilyAndItsAccessTokens() {
        TokenClient.Response tokens = Flows.aliceAtWeb(server);
        assertThat(revoke(WEB, WEB_SECRET, tokens.string("refresh_token")).status()).isEqualTo(200);
        TokenClient.Response refresh = server.tokenClient().token(WEB, WEB_SECRET,
                Map.of("grant_type", "refresh_token", "refresh_token", tokens.string("refresh_token")));
        assertThat(refresh.error()).isEqualTo("invalid_grant");
        assertThat(server.tokenClient().get("/userinfo", "Bearer " + tokens.string("access_token")).status()).isEqualTo(401);
        assertThat(introspect(WEB, WEB_SECRET, tokens.string("access_token")).json()).isEqualTo(Map.of("active", false));
    }

    @Test
    void unknownTokenRevocationAnswers200() {
        TokenClient.Response answer = revoke(WEB, WEB_SECRET, "tsr_rt_never-issued");
        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void aClientCannotRevokeAnotherClientsToken() {
        TokenClient.Response tokens = Flows.aliceAtWeb(server);
        TokenClient.Response refused = revoke(SERVICE, SERVICE_SECRET, tokens.string("access_token"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid_request");
        assertThat(server.tokenClient().get("/userinfo", "Bearer " + tokens.string("access_token")).status()).isEqualTo(200);
        assertThat(revoke(SERVICE, SERVICE_SECRET, tokens.string("refresh_token")).status()).isEqualTo(400);
        assertThat(introspect(WEB, WEB_SECRET, tokens.string("refresh_token")).json()).containsEntry("active", true);
    }

    @Test
    void opaqueAccessTokensAreRandomAndOnlyIntrospectionRevealsThem() {
        TokenClient.Response issued = server.tokenClient().token(OPAQUE, OPAQUE_SECRET, Map.of("grant_type", "client_credentials"));
        String token = issued.string("access_token");
        assertThat(token).startsWith("tsr_at_").doesNotContain(".");
        TokenClient.Response answer = introspect(OPAQUE, OPAQUE_SECRET, token);
        assertThat(answer.json()).containsEntry("active", true).containsEntry("client_id", OPAQUE)
                .containsEntry("scope", "api.read").containsEntry("sub", OPAQUE);
        assertThat(revoke(OPAQUE, OPAQUE_SECRET, token).status()).isEqualTo(200);
        assertThat(introspect(OPAQUE, OPAQUE_SECRET, token).json()).isEqualTo(Map.of("active", false));
    }

    @Test
    void opaqueUserTokensWorkAtUserinfo() {
        try (TesseraTestServer own = TesseraTestServer.start(config -> config.withTokens(
                config.tokens().withAccessTokenFormat("opaque")))) {
            TokenClient.Response tokens = Flows.aliceAtWeb(own);
            assertThat(tokens.string("access_token")).startsWith("tsr_at_");
            TokenClient.Response userinfo = own.tokenClient().get("/userinfo", "Bearer " + tokens.string("access_token"));
            assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
            assertThat(userinfo.string("email")).isEqualTo("alice@example.com");
        }
    }

    @Test
    void tokensOfARemovedOrDisabledClientStopWorkingAtUserinfoAndIntrospection() {
        try (TesseraTestServer own = TesseraTestServer.start()) {
            TokenClient.Response tokens = Flows.aliceAtWeb(own);
            var clients = own.app().stores().clients();
            var web = clients.find(WEB).orElseThrow();
            clients.upsert(web.toBuilder().enabled(false).build());
            assertThat(own.tokenClient().get("/userinfo", "Bearer " + tokens.string("access_token")).status()).isEqualTo(401);
            clients.upsert(web);
            assertThat(own.tokenClient().get("/userinfo", "Bearer " + tokens.string("access_token")).status()).isEqualTo(200);
            clients.remove(WEB);
            TokenClient.Response userinfo = own.tokenClient().get("/userinfo", "Bearer " + tokens.string("access_token"));
            assertThat(userinfo.status()).isEqualTo(401);
            assertThat(userinfo.header("WWW-Authenticate")).contains("invalid_token");
        }
    }

    @Test
    void discoveryNamesIntrospectionAndRevocation() {
        TokenClient.Response discovery = server.tokenClient().get("/.well-known/openid-configuration", null);
        assertThat(discovery.json()).containsEntry("introspection_endpoint", server.issuer() + "/introspect")
                .containsEntry("revocation_endpoint", server.issuer() + "/revoke");
    }
}
