package dev.tessera.server.http;

import com.nimbusds.jwt.SignedJWT;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeFlowTest {
    static TesseraTestServer server;

    @BeforeAll
    static void start() {
        server = TesseraTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void codeFlowIssuesTokens() throws Exception {
        Pkce pkce = Pkce.generate();
        UserAgent browser = server.userAgent();
        String query = "response_type=code&client_id=web&scope=openid%20profile%20email%20offline_access&state=xyz&nonce=n1"
                + "&redirect_uri=" + URLEncoder.encode(TesseraTestServer.WEB_REDIRECT, StandardCharsets.UTF_8)
                + "&code_challenge=" + pkce.challenge() + "&code_challenge_method=S256";
        HttpResponse<String> redirect = browser.signInAndAllow(query, TesseraTestServer.ALICE, TesseraTestServer.ALICE_PASSWORD);
        assertThat(redirect.statusCode()).as(redirect.body()).isIn(302, 303);
        Map<String, String> params = UserAgent.queryOf(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(params).containsEntry("state", "xyz").containsEntry("iss", server.issuer());
        TokenClient.Response tokens = server.tokenClient().token(TesseraTestServer.WEB, TesseraTestServer.WEB_SECRET, Map.of(
                "grant_type", "authorization_code", "code", params.get("code"),
                "redirect_uri", TesseraTestServer.WEB_REDIRECT, "code_verifier", pkce.verifier()));
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        SignedJWT id = SignedJWT.parse(tokens.string("id_token"));
        assertThat(id.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n1");
        assertThat(tokens.string("refresh_token")).startsWith("tsr_rt_");
        TokenClient.Response userinfo = server.tokenClient().get("/userinfo", "Bearer " + tokens.string("access_token"));
        assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
        assertThat(userinfo.string("email")).isEqualTo("alice@example.com");
    }
}
