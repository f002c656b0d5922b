package dev.tessera.server.http;

import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8707: resource narrows aud at /authorize and /token; a resource the client may not use is invalid_target. */
class ResourceIndicatorsTest {
    static final String API = "https://api.example.test/";
    static final String REPORTS = "https://reports.example.test/";
    static final String CLIENT = "rs-app";
    static final String SECRET = "rs-app-secret-0123456789-0123456789-abcd";
    static final String REDIRECT = "https://rs-app.example.test/cb";
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start(config -> {
            List<ClientConfig> clients = new ArrayList<>(config.clients());
            clients.add(ClientConfig.builder(CLIENT).secret(SECRET).redirectUris(List.of(REDIRECT))
                    .grantTypes(List.of("authorization_code", "refresh_token", "client_credentials"))
                    .scopes(List.of("openid", "offline_access", "api.read")).consent("skip")
                    .audience(List.of(API, REPORTS)).build());
            return config.withClients(clients);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> authorize(Pkce pkce, String... resources) {
        StringBuilder query = new StringBuilder("response_type=code&client_id=" + CLIENT + "&scope=openid%20offline_access"
                + "&state=r&redirect_uri=" + enc(REDIRECT) + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256");
        for (String resource : resources) {
            query.append("&resource=").append(enc(resource));
        }
        return server.userAgent().signInAndAllow(query.toString(), TesseraTestServer.ALICE, TesseraTestServer.ALICE_PASSWORD);
    }

    private TokenClient.Response redeem(HttpResponse<String> redirect, Pkce pkce, String... resources) {
        String code = UserAgent.queryOf(redirect.headers().firstValue("Location").orElseThrow()).get("code");
        StringBuilder body = new StringBuilder("grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(REDIRECT)
                + "&code_verifier=" + pkce.verifier());
        for (String resource : resources) {
            body.append("&resource=").append(enc(resource));
        }
        return server.tokenClient().post("/token", TokenClient.basic(CLIENT, SECRET), body.toString());
    }

    private static List<String> audience(TokenClient.Response tokens) throws Exception {
        return SignedJWT.parse(tokens.string("access_token")).getJWTClaimsSet().getAudience();
    }

    @Test
    void resourceAtAuthorizeBecomesTheAudience() throws Exception {
        Pkce pkce = Pkce.generate();
        TokenClient.Response tokens = redeem(authorize(pkce, API), pkce);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(audience(tokens)).containsExactly(API);
    }

    @Test
    void tokenRequestMayNarrowButNotWidenTheResources() throws Exception {
        Pkce pkce = Pkce.generate();
        TokenClient.Response narrowed = redeem(authorize(pkce, API, REPORTS), pkce, REPORTS);
        assertThat(audience(narrowed)).containsExactly(REPORTS);

        Pkce second = Pkce.generate();
        TokenClient.Response widened = redeem(authorize(second, API), second, REPORTS);
        assertThat(widened.status()).isEqualTo(400);
        assertThat(widened.error()).isEqualTo("invalid_target");
    }

    @Test
    void aResourceTheClientMayNotUseIsInvalidTargetAtTheRedirectUri() {
        HttpResponse<String> redirect = server.userAgent().get("/authorize?response_type=code&client_id=" + CLIENT
                + "&scope=openid&state=r&redirect_uri=" + enc(REDIRECT) + "&code_challenge=" + Pkce.generate().challenge()
                + "&code_challenge_method=S256&resource=" + enc("https://evil.example.test/"));
        Map<String, String> params = UserAgent.queryOf(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(params).containsEntry("error", "invalid_target").containsEntry("state", "r");
    }

    @Test
    void refreshCanNarrowTheAudience() throws Exception {
        Pkce pkce = Pkce.generate();
        TokenClient.Response tokens = redeem(authorize(pkce, API, REPORTS), pkce);
        TokenClient.Response refreshed = server.tokenClient().post("/token", TokenClient.basic(CLIENT, SECRET),
                "grant_type=refresh_token&refresh_token=" + tokens.string("refresh_token") + "&resource=" + enc(API));
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        assertThat(audience(refreshed)).containsExactly(API);
    }

    @Test
    void clientCredentialsWithResourcesAndWithout() throws Exception {
        TokenClient.Response withResource = server.tokenClient().post("/token", TokenClient.basic(CLIENT, SECRET),
                "grant_type=client_credentials&resource=" + enc(API) + "&resource=" + enc(REPORTS));
        assertThat(audience(withResource)).containsExactly(API, REPORTS);
        TokenClient.Response without = server.tokenClient().token(CLIENT, SECRET, Map.of("grant_type", "client_credentials"));
        assertThat(audience(without)).containsExactly(API, REPORTS);
        TokenClient.Response relative = server.tokenClient().token(CLIENT, SECRET,
                Map.of("grant_type", "client_credentials", "resource", "/relative"));
        assertThat(relative.error()).isEqualTo("invalid_target");
    }
}
