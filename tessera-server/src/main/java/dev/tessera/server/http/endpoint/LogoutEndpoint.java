package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.logout.LogoutService;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.support.SessionCookie;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;
import java.util.Map;

/** GET|POST /logout (OpenID Connect RP-Initiated Logout 1.0). */
public final class LogoutEndpoint {
    private final LogoutService logout;
    private final SessionCookie sessionCookie;
    private final Pages pages;

    public LogoutEndpoint(LogoutService logout, SessionCookie sessionCookie, Pages pages) {
        this.logout = logout;
        this.sessionCookie = sessionCookie;
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
        LogoutService.Outcome outcome = logout.logout(Forms.single(parameters, "id_token_hint"),
                Forms.single(parameters, "client_id"), Forms.single(parameters, "post_logout_redirect_uri"),
                Forms.single(parameters, "state"), sessionCookie.read(ctx));
        if (outcome instanceof LogoutService.Outcome.Refused refused) {
            pages.error(ctx, 400, "We could not sign you out from here", refused.message());
            return;
        }
        sessionCookie.clear(ctx);
        if (outcome instanceof LogoutService.Outcome.Redirect redirect) {
            ctx.header("Cache-Control", "no-store");
            ctx.redirect(redirect.location(), HttpStatus.FOUND);
        } else if (outcome instanceof LogoutService.Outcome.LoggedOut loggedOut) {
            pages.loggedOut(ctx, loggedOut.clientName());
        }
    }
}
