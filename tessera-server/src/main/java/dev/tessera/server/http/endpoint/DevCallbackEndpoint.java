package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.clientauth.PresentedCredentials;
import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.application.token.TokenService;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.CsrfTokens;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.view.DecodedJwt;
import dev.tessera.server.http.view.DevCallbackPage;
import dev.tessera.server.http.view.DevCallbackPage.Command;
import dev.tessera.server.http.view.DevCallbackPage.IssuedToken;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Only under {@code serve --dev}: the demo client's redirect URI, playing the demo client so a newcomer sees the
 * whole flow in the browser. GET shows the code (or error) that arrived, a button and the equivalent curl command;
 * POST (CSRF-checked) redeems the code through the same token pipeline as /token, with the demo client's secret
 * and the PKCE verifier that dev mode printed, and shows the tokens decoded.
 */
public final class DevCallbackEndpoint {
    static final String START_AGAIN = "Start again from the authorize URL that serve --dev printed: each code works"
            + " once and only for 60 seconds.";

    private final TokenService tokens;
    private final CsrfTokens csrf;
    private final Pages pages;
    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final String codeVerifier;
    private final Clock clock;

    public DevCallbackEndpoint(TokenService tokens, CsrfTokens csrf, Pages pages, String issuer, String clientId,
                               String clientSecret, String redirectUri, String codeVerifier, Clock clock) {
        this.tokens = tokens;
        this.csrf = csrf;
        this.pages = pages;
        this.issuer = issuer;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.redirectUri = redirectUri;
        this.codeVerifier = codeVerifier;
        this.clock = clock;
    }

    public void handle(Context ctx) {
        Map<String, List<String>> query;
        try {
            query = Forms.query(ctx);
        } catch (OAuthException e) {
            pages.devCallback(ctx, 400, failed("This callback address is malformed", null, null, START_AGAIN));
            return;
        }
        String error = Forms.single(query, "error");
        if (error != null) {
            // What the authorization server sent back, shown as it arrived (escaped): e.g. access_denied.
            pages.devCallback(ctx, 200, failed("The authorization server answered with an error", error,
                    Forms.single(query, "error_description"), START_AGAIN));
            return;
        }
        String code = Forms.single(query, "code");
        if (code == null) {
            pages.devCallback(ctx, 400, failed("No authorization code arrived", null, null,
                    "Open the authorize URL that serve --dev printed, sign in as the demo user and allow the demo app;"
                            + " the browser then comes back here with a code."));
            return;
        }
        pages.devCallback(ctx, 200, DevCallbackPage.received(Pages.PRODUCT, code, Forms.single(query, "state"),
                Forms.single(query, "iss"), csrf.tokenFor(ctx),
                new Command("Or redeem it yourself with curl (once, within 60 seconds):", redeemCommand(code))));
    }

    public void redeem(Context ctx) {
        Map<String, List<String>> form;
        try {
            form = Forms.body(ctx);
        } catch (OAuthException e) {
            pages.devCallback(ctx, 400, failed("The form was not sent correctly", null, null, START_AGAIN));
            return;
        }
        if (!csrf.isValid(ctx, Forms.exactlyOne(form, CsrfTokens.FIELD))) {
            pages.devCallback(ctx, 400, failed("This page expired", null, null,
                    "For your security the button works only on the page this browser was shown. " + START_AGAIN));
            return;
        }
        String code = Forms.exactlyOne(form, "code");
        if (code == null || code.isEmpty()) {
            pages.devCallback(ctx, 400, failed("No authorization code was sent", null, null, START_AGAIN));
            return;
        }
        Map<String, List<String>> request = new LinkedHashMap<>();
        request.put("grant_type", List.of("authorization_code"));
        request.put("code", List.of(code));
        request.put("redirect_uri", List.of(redirectUri));
        request.put("code_verifier", List.of(codeVerifier));
        TokenResponse response;
        try {
            response = tokens.handle(request, new PresentedCredentials(clientId, clientSecret, null, null));
        } catch (OAuthException e) {
            pages.devCallback(ctx, 400, failed("The code could not be redeemed", e.error().code(), e.description(),
                    START_AGAIN));
            return;
        }
        pages.devCallback(ctx, 200, redeemed(code, response.members(), clock.instant()));
    }

    private DevCallbackPage redeemed(String code, Map<String, Object> members, Instant now) {
        List<IssuedToken> issued = new ArrayList<>();
        String accessToken = (String) members.get("access_token");
        if (accessToken != null) {
            issued.add(new IssuedToken("Access token", "For APIs: a resource server checks it and reads its claims.",
                    accessToken, DecodedJwt.decode(accessToken, now), new Command("Ask userinfo who signed in:",
                    "curl -s -H 'Authorization: Bearer " + accessToken + "' \\\n  " + issuer + "/userinfo")));
        }
        String idToken = (String) members.get("id_token");
        if (idToken != null) {
            issued.add(new IssuedToken("ID token", "For the app itself: who signed in, when and how.",
                    idToken, DecodedJwt.decode(idToken, now), null));
        }
        String refreshToken = (String) members.get("refresh_token");
        if (refreshToken != null) {
            issued.add(new IssuedToken("Refresh token", "Opaque: only Tessera reads it. Each use returns a new one.",
                    refreshToken, null, new Command("Get fresh tokens with it (once; the answer holds its successor):",
                    "curl -s -u '" + clientId + ":" + clientSecret + "' " + issuer + "/token \\\n"
                            + "  -d grant_type=refresh_token \\\n  -d refresh_token=" + refreshToken)));
        }
        return DevCallbackPage.redeemed(Pages.PRODUCT, issued, (String) members.get("scope"),
                new Command("The token request the button made, as curl:", redeemCommand(code)));
    }

    private String redeemCommand(String code) {
        return "curl -s -u '" + clientId + ":" + clientSecret + "' " + issuer + "/token \\\n"
                + "  -d grant_type=authorization_code \\\n"
                + "  --data-urlencode code=" + shellWord(code) + " \\\n"
                + "  --data-urlencode redirect_uri=" + redirectUri + " \\\n"
                + "  -d code_verifier=" + codeVerifier;
    }

    // The code arrived in a URL anyone can craft; quoted so pasting the command cannot run anything else.
    private static String shellWord(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static DevCallbackPage failed(String title, String errorCode, String description, String advice) {
        return DevCallbackPage.failed(Pages.PRODUCT, title, errorCode, description, advice);
    }
}
