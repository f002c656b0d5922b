package dev.tessera.server.http;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.testsupport.TesseraTestServer;
import dev.tessera.server.testsupport.TokenClient;
import dev.tessera.server.testsupport.UserAgent;

import java.net.URI;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The steps the authorization tests repeat: read the redirect back to the client, redeem its code. */
final class AuthorizeSteps {
    private AuthorizeSteps() {
    }

    /** The parameters of a redirect to {@code redirectUri}; fails unless the response is exactly that. */
    static Map<String, String> redirectTo(String redirectUri, HttpResponse<String> response) {
        assertThat(response.statusCode()).as("expected a redirect, got: %s", response.body()).isIn(302, 303);
        String location = response.headers().firstValue("Location").orElseThrow();
        URI target = URI.create(location);
        URI expected = URI.create(redirectUri);
        assertThat(target.getScheme() + "://" + target.getRawAuthority() + target.getRawPath())
                .isEqualTo(expected.getScheme() + "://" + expected.getRawAuthority() + expected.getRawPath());
        assertThat(target.getRawFragment()).as("nothing travels in the fragment").isNull();
        return UserAgent.queryOf(location);
    }

    /** The code of a successful redirect to {@code redirectUri}. */
    static String codeFrom(String redirectUri, HttpResponse<String> response) {
        Map<String, String> parameters = redirectTo(redirectUri, response);
        assertThat(parameters).as("authorization response").doesNotContainKey("error").containsKey("code");
        return parameters.get("code");
    }

    /** Redeems a code of the WEB client (client_secret_basic) with the query's verifier. */
    static TokenClient.Response redeemWeb(TesseraTestServer server, AuthorizeQuery query, String code) {
        return server.tokenClient().token(TesseraTestServer.WEB, TesseraTestServer.WEB_SECRET, Map.of(
                "grant_type", "authorization_code", "code", code, "redirect_uri", query.redirectUri(),
                "code_verifier", query.pkce().verifier()));
    }

    /** Redeems a code of a public client (client_id in the body, no secret). */
    static TokenClient.Response redeemPublic(TesseraTestServer server, String clientId, AuthorizeQuery query, String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", query.redirectUri());
        form.put("code_verifier", query.pkce().verifier());
        form.put("client_id", clientId);
        return server.tokenClient().post("/token", null, UserAgent.encode(form));
    }

    /** The ID token's claims of a successful token response. */
    static JWTClaimsSet idToken(TokenClient.Response tokens) {
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        try {
            return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AssertionError("the id_token is not a JWT", e);
        }
    }
}
