package dev.tessera.server.http.support;

import dev.tessera.server.application.authorize.AuthorizationRequest;
import dev.tessera.server.application.authorize.AuthorizationResponse;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.http.view.ConsentPage;
import dev.tessera.server.http.view.ErrorPage;
import dev.tessera.server.http.view.FormPostPage;
import dev.tessera.server.http.view.HtmlTemplates;
import dev.tessera.server.http.view.LoginPage;
import io.javalin.http.Context;

import java.util.ArrayList;

/** Renders the HTML pages with their security headers, a fresh CSRF token and the request id. */
public final class Pages {
    public static final String PRODUCT = "Tessera";
    private static final String DEFAULT_ADVICE = "Go back to the app and start signing in again.";

    private final HtmlTemplates templates = HtmlTemplates.precompiled();
    private final CsrfTokens csrf;

    public Pages(CsrfTokens csrf) {
        this.csrf = csrf;
    }

    /** @param error null for a fresh form; otherwise the one generic message to show */
    public void login(Context ctx, AuthorizationRequest request, String username, String error, int status) {
        LoginPage page = LoginPage.blank(PRODUCT, request.client().name(), csrf.tokenFor(ctx),
                RequestHandle.encode(request.parameters()), username);
        html(ctx, status, templates.login(error == null ? page : page.withError(error)));
    }

    public void consent(Context ctx, AuthorizationRequest request, Scopes scopes) {
        html(ctx, 200, templates.consent(ConsentPage.of(PRODUCT, request.client().name(), csrf.tokenFor(ctx),
                RequestHandle.encode(request.parameters()), null, new ArrayList<>(scopes.values()))));
    }

    public void error(Context ctx, int status, String title, String message) {
        error(ctx, status, title, message, DEFAULT_ADVICE);
    }

    public void error(Context ctx, int status, String title, String message, String advice) {
        html(ctx, status, templates.error(new ErrorPage(PRODUCT, title, message, advice, RequestIds.of(ctx))));
    }

    // OAuth 2.0 Form Post Response Mode: the browser posts the response to the client.
    public void formPost(Context ctx, AuthorizationResponse response) {
        html(ctx, 200, templates.formPost(new FormPostPage(PRODUCT, null, response.redirectUri(), response.parameters())));
    }

    private static void html(Context ctx, int status, String body) {
        SecurityHeaders.applyToPage(ctx);
        ctx.status(status);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(body);
    }
}
