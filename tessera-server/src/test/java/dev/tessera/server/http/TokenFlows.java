package dev.tessera.server.http;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.testsupport.Pkce;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;

import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.tessera.server.testsupport.TesseraTestServer.ALICE;
import static dev.tessera.server.testsupport.TesseraTestServer.ALICE_PASSWORD;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_REDIRECT;
import static dev.tessera.server.testsupport.TesseraTestServer.WEB_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the code flow of the token-endpoint tests: sign in through the real login and consent pages,
 * take the code from the redirect, redeem it. Each call uses a fresh browser, so tests stay independent.
 */
final class TokenFlows {
    private final TesseraTestServer server;
    private String clientId = WEB;
    private String redirectUri = WEB_REDIRECT;
    private boolean sendRedirectUri = true;
    private String scope = "openid";
    private String nonce;
    private boolean pkce = true;
    private String username = ALICE;
    private String password = ALICE_PASSWORD;
    private final Map<String, String> extra = new LinkedHashMap<>();

    private TokenFlows(TesseraTestServer server) {
        this.server = server;
    }

    static TokenFlows signIn(TesseraTestServer server) {
        return new TokenFlows(server);
    }

    TokenFlows client(String id, String redirect) {
        this.clientId = id;
        this.redirectUri = redirect;
        return this;
    }

    TokenFlows scope(String value) {
        this.scope = value;
        return this;
    }

    TokenFlows nonce(String value) {
        this.nonce = value;
        return this;
    }

    /** Any further authorization request parameter (max_age, claims, prompt, ...). */
    TokenFlows param(String name, String value) {
        extra.put(name, value);
        return this;
    }

    TokenFlows withoutPkce() {
        this.pkce = false;
        return this;
    }

    /** Leaves redirect_uri out of the authorization request (the client's only registered URI is used). */
    TokenFlows withoutRedirectUri() {
        this.sendRedirectUri = false;
        return this;
    }

    TokenFlows as(String user, String userPassword) {
        this.username = user;
        this.password = userPassword;
        return this;
    }

    /** Signs in with a fresh browser and returns the code from the authorization response. */
    Authorized authorize() {
        Pkce challenge = pkce ? Pkce.generate() : null;
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId);
        query.put("scope", scope);
        query.put("state", "st-" + System.nanoTime());
        if (sendRedirectUri) {
            query.put("redirect_uri", redirectUri);
        }
        if (nonce != null) {
            query.put("nonce", nonce);
        }
        query.putAll(extra);
        if (challenge != null) {
            query.put("code_challenge", challenge.challenge());
            query.put("code_challenge_method", "S256");
        }
        HttpResponse<String> redirect = server.userAgent().signInAndAllow(UserAgent.encode(query), username, password);
        assertThat(redirect.statusCode()).as(redirect.body()).isIn(302, 303);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(redirectUri);
        Map<String, String> response = UserAgent.queryOf(location);
        assertThat(response).as(location).containsKey("code");
        return new Authorized(server, clientId, response.get("code"), challenge == null ? null : challenge.verifier(),
                redirectUri);
    }

    /** Signs in and redeems the code with the WEB client's secret (Basic), asserting success. */
    TokenClient.Response tokens(String secret) {
        TokenClient.Response response = authorize().redeem(secret);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    TokenClient.Response tokens() {
        return tokens(WEB_SECRET);
    }

    /** An authorization code with what its redemption needs. */
    record Authorized(TesseraTestServer server, String clientId, String code, String verifier, String redirectUri) {
        /** The standard redemption form: code, redirect_uri and code_verifier (when PKCE was used). */
        Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "authorization_code");
            form.put("code", code);
            form.put("redirect_uri", redirectUri);
            if (verifier != null) {
                form.put("code_verifier", verifier);
            }
            return form;
        }

        /** Redeems with client_secret_basic as {@link #clientId}. */
        TokenClient.Response redeem(String secret) {
            return server.tokenClient().token(clientId, secret, form());
        }

        /** Redeems as a public client: client_id in the body, no secret. */
        TokenClient.Response redeemAsPublicClient() {
            Map<String, String> form = form();
            form.put("client_id", clientId);
            return server.tokenClient().post("/token", null, UserAgent.encode(form));
        }
    }

    static TokenClient.Response refresh(TesseraTestServer server, String clientId, String secret, String refreshToken) {
        return server.tokenClient().token(clientId, secret,
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    static TokenClient.Response userInfo(TesseraTestServer server, String accessToken) {
        return server.tokenClient().get("/userinfo", "Bearer " + accessToken);
    }

    static JWTClaimsSet claims(String jwt) {
        try {
            return SignedJWT.parse(jwt).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("not a signed JWT", e);
        }
    }

    static JWKSet jwks(TesseraTestServer server) {
        TokenClient.Response response = server.tokenClient().get("/.well-known/jwks.json", null);
        assertThat(response.status()).isEqualTo(200);
        try {
            return JWKSet.parse(response.body());
        } catch (ParseException e) {
            throw new AssertionError("JWKS does not parse", e);
        }
    }

    static Set<String> scopeSet(String scope) {
        return scope == null ? Set.of() : new TreeSet<>(Arrays.asList(scope.split(" ")));
    }
}
