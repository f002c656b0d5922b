package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.authorize.AuthorizeService;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.support.SessionCookie;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

/** GET|POST /authorize. */
public final class AuthorizeEndpoint {
    private final AuthorizeService service;
    private final SessionCookie sessionCookie;
    private final AuthorizeResponder responder;
    private final Pages pages;

    public AuthorizeEndpoint(AuthorizeService service, SessionCookie sessionCookie, AuthorizeResponder responder,
                             Pages pages) {
        this.service = service;
        this.sessionCookie = sessionCookie;
        this.responder = responder;
        this.pages = pages;
    }

    public void handle(Context ctx) {
        Map<String, List<String>> parameters;
        try {
            parameters = Forms.queryOrBody(ctx);
        } catch (OAuthException e) {
            // Nothing can be trusted in a request we cannot even parse: show it, never redirect.
            pages.error(ctx, 400, "The sign-in link is invalid", "The link that brought you here is malformed.");
            return;
        }
        responder.respond(ctx, service.authorize(parameters, sessionCookie.read(ctx)));
    }
}
