package dev.tessera.server.testsupport;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Whole flows in one call, for tests about what happens after tokens exist. */
public final class Flows {
    private Flows() {
    }

    /** Signs the user in through the real pages (allowing consent) and redeems the code at /token. */
    public static TokenClient.Response codeFlow(TesseraTestServer server, String clientId, String secret,
                                                String redirectUri, String username, String password, String scope) {
        return codeFlow(server.userAgent(), server.tokenClient(), clientId, secret, redirectUri, username, password, scope);
    }

    /** The same against any running server, e.g. a {@link ServerProcess}. */
    public static TokenClient.Response codeFlow(UserAgent browser, TokenClient tokens, String clientId, String secret,
                                                String redirectUri, String username, String password, String scope) {
        Pkce pkce = Pkce.generate();
        String query = "response_type=code&client_id=" + enc(clientId) + "&scope=" + enc(scope) + "&state=s"
                + "&redirect_uri=" + enc(redirectUri) + "&code_challenge=" + pkce.challenge()
                + "&code_challenge_method=S256";
        HttpResponse<String> redirect = browser.signInAndAllow(query, username, password);
        String location = redirect.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no redirect: " + redirect.statusCode() + " " + redirect.body()));
        String code = UserAgent.queryOf(location).get("code");
        if (code == null) {
            throw new AssertionError("no code in " + location);
        }
        return tokens.token(clientId, secret, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", redirectUri, "code_verifier", pkce.verifier()));
    }

    /** Alice at the WEB client with every scope, including a refresh token. */
    public static TokenClient.Response aliceAtWeb(TesseraTestServer server) {
        return codeFlow(server, TesseraTestServer.WEB, TesseraTestServer.WEB_SECRET, TesseraTestServer.WEB_REDIRECT,
                TesseraTestServer.ALICE, TesseraTestServer.ALICE_PASSWORD, "openid profile email offline_access");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
