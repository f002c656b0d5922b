package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.authorize.AuthorizationRequest;
import dev.tessera.server.application.authorize.AuthorizationRequestValidator.Validation;
import dev.tessera.server.application.authorize.AuthorizeService;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.CsrfTokens;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.support.RequestHandle;
import dev.tessera.server.http.support.SessionCookie;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

/** GET|POST /consent. GET re-enters the authorization request; POST records the user's decision. */
public final class ConsentEndpoint {
    private final AuthorizeService authorize;
    private final SessionCookie sessionCookie;
    private final CsrfTokens csrf;
    private final AuthorizeResponder responder;
    private final Pages pages;

    public ConsentEndpoint(AuthorizeService authorize, SessionCookie sessionCookie, CsrfTokens csrf,
                           AuthorizeResponder responder, Pages pages) {
        this.authorize = authorize;
        this.sessionCookie = sessionCookie;
        this.csrf = csrf;
        this.responder = responder;
        this.pages = pages;
    }

    public void show(Context ctx) {
        try {
            responder.respond(ctx, authorize.authorize(Forms.query(ctx), sessionCookie.read(ctx)));
        } catch (OAuthException e) {
            pages.error(ctx, 400, "The link is invalid", "The link that brought you here is malformed.");
        }
    }

    public void submit(Context ctx) {
        Map<String, List<String>> form;
        try {
            form = Forms.body(ctx);
        } catch (OAuthException e) {
            pages.error(ctx, 400, "Your answer was not received", "The form was not sent correctly. Go back and try again.");
            return;
        }
        if (!csrf.isValid(ctx, Forms.exactlyOne(form, CsrfTokens.FIELD))) {
            pages.error(ctx, 400, "This page expired",
                    "For your security the form can only be used from this browser.");
            return;
        }
        String handle = Forms.exactlyOne(form, "request");
        Validation validation = authorize.validate(RequestHandle.decode(handle == null ? "" : handle));
        if (validation instanceof Validation.Invalid invalid) {
            responder.respond(ctx, invalid.outcome());
            return;
        }
        String decision = Forms.exactlyOne(form, "decision");
        if (!"allow".equals(decision) && !"deny".equals(decision)) {
            pages.error(ctx, 400, "Your answer was not received", "Choose Allow or Deny to continue.");
            return;
        }
        AuthorizationRequest request = ((Validation.Valid) validation).request();
        responder.respond(ctx, authorize.afterConsent(request, sessionCookie.read(ctx), "allow".equals(decision)));
    }
}
