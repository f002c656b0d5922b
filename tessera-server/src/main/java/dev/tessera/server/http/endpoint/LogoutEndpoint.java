package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.logout.LogoutService;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.CsrfTokens;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.support.SessionCookie;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;
import java.util.Map;

/**
 * GET|POST /logout (OpenID Connect RP-Initiated Logout 1.0). A POST with {@code confirm} is the user's answer
 * on our confirmation page and must carry its CSRF token; anything else is the client's logout request.
 */
public final class LogoutEndpoint {
    private static final String CONFIRM = "confirm";

    private final LogoutService logout;
    private final SessionCookie sessionCookie;
    private final CsrfTokens csrf;
    private final Pages pages;

    public LogoutEndpoint(LogoutService logout, SessionCookie sessionCookie, CsrfTokens csrf, Pages pages) {
        this.logout = logout;
        this.sessionCookie = sessionCookie;
        this.csrf = csrf;
        this.pages = pages;
    }

    public void handle(Context ctx) {
        Map<String, List<String>> parameters;
        try {
            parameters = Forms.rejectingRepeats(Forms.queryOrBody(ctx));
        } catch (OAuthException e) {
            pages.error(ctx, 400, "The sign-out link is invalid", "The link that brought you here is malformed.");
            return;
        }
        LogoutService.Outcome outcome;
        if ("POST".equals(ctx.method().name()) && parameters.containsKey(CONFIRM)) {
            if (!csrf.isValid(ctx, Forms.single(parameters, CsrfTokens.FIELD))) {
                pages.error(ctx, 400, "This page expired",
                        "For your security the sign-out form can only be used from this browser. You are still signed in.");
                return;
            }
            outcome = logout.confirm(request(parameters, null), sessionCookie.read(ctx));
        } else {
            outcome = logout.logout(request(parameters, Forms.single(parameters, "id_token_hint")), sessionCookie.read(ctx));
        }
        respond(ctx, outcome);
    }

    private void respond(Context ctx, LogoutService.Outcome outcome) {
        if (outcome instanceof LogoutService.Outcome.Refused refused) {
            pages.error(ctx, 400, "We could not sign you out from here", refused.message());
        } else if (outcome instanceof LogoutService.Outcome.Confirm confirm) {
            pages.confirmLogout(ctx, confirm.clientName(), confirm.username(), confirm.clientId(),
                    confirm.postLogoutRedirectUri(), confirm.state());
        } else if (outcome instanceof LogoutService.Outcome.Redirect redirect) {
            sessionCookie.clear(ctx);
            ctx.header("Cache-Control", "no-store");
            // 303 after the confirmation POST, so the browser follows with GET
            ctx.redirect(redirect.location(), "POST".equals(ctx.method().name()) ? HttpStatus.SEE_OTHER : HttpStatus.FOUND);
        } else if (outcome instanceof LogoutService.Outcome.LoggedOut loggedOut) {
            sessionCookie.clear(ctx);
            pages.loggedOut(ctx, loggedOut.clientName());
        }
    }

    private static LogoutService.Request request(Map<String, List<String>> parameters, String idTokenHint) {
        return new LogoutService.Request(idTokenHint, Forms.single(parameters, "client_id"),
                Forms.single(parameters, "post_logout_redirect_uri"), Forms.single(parameters, "state"));
    }
}
