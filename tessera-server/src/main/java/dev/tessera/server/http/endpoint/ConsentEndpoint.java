package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.authorize.AuthorizationRequest;
import dev.tessera.server.application.authorize.AuthorizeService;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.CsrfTokens;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.support.SessionCookie;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** GET|POST /consent. GET re-enters the authorization request; POST records the user's decision. */
public final class ConsentEndpoint {
    private static final PageForms.Refusals REFUSALS = new PageForms.Refusals(
            "Your answer was not received", "The form was not sent correctly. Go back and try again.",
            "This page expired", "For your security the form can only be used from this browser.");

    private final AuthorizeService authorize;
    private final SessionCookie sessionCookie;
    private final AuthorizeResponder responder;
    private final Pages pages;
    private final PageForms forms;
    private final CarriedRequests requests;

    public ConsentEndpoint(AuthorizeService authorize, SessionCookie sessionCookie, CsrfTokens csrf,
                           AuthorizeResponder responder, Pages pages) {
        this.authorize = authorize;
        this.sessionCookie = sessionCookie;
        this.responder = responder;
        this.pages = pages;
        this.forms = new PageForms(csrf, pages);
        this.requests = new CarriedRequests(authorize, responder);
    }

    public void show(Context ctx) {
        try {
            responder.respond(ctx, authorize.authorize(Forms.query(ctx), sessionCookie.read(ctx)));
        } catch (OAuthException e) {
            pages.error(ctx, 400, "The link is invalid", "The link that brought you here is malformed.");
        }
    }

    public void submit(Context ctx) {
        Optional<Map<String, List<String>>> form = forms.read(ctx, REFUSALS);
        Optional<AuthorizationRequest> carried = form.isEmpty() ? Optional.empty() : requests.of(ctx, form.get());
        if (carried.isEmpty()) {
            return;
        }
        String decision = Forms.exactlyOne(form.get(), "decision");
        if (!"allow".equals(decision) && !"deny".equals(decision)) {
            pages.error(ctx, 400, "Your answer was not received", "Choose Allow or Deny to continue.");
            return;
        }
        AuthorizationRequest request = carried.get();
        responder.respond(ctx, authorize.afterConsent(request, sessionCookie.read(ctx), "allow".equals(decision)));
    }
}
