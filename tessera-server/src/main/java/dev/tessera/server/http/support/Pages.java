package dev.tessera.server.http.support;

import dev.tessera.server.application.authorize.AuthorizationRequest;
import dev.tessera.server.application.authorize.AuthorizationResponse;
import dev.tessera.server.application.authorize.ConsentClaim;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.http.view.ClaimDescriptions;
import dev.tessera.server.http.view.ConsentPage;
import dev.tessera.server.http.view.DevCallbackPage;
import dev.tessera.server.http.view.ErrorPage;
import dev.tessera.server.http.view.FormPostPage;
import dev.tessera.server.http.view.HtmlTemplates;
import dev.tessera.server.http.view.LoggedOutPage;
import dev.tessera.server.http.view.LogoutConfirmPage;
import dev.tessera.server.http.view.LoginOtpPage;
import dev.tessera.server.http.view.LoginPage;
import dev.tessera.server.http.view.TotpEnrolPage;
import dev.tessera.server.http.view.RegisterPage;
import dev.tessera.server.http.view.RegisteredPage;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the HTML pages with their security headers, a fresh CSRF token and the request id. */
public final class Pages {
    public static final String PRODUCT = "Tessera";
    // Every error page shows the request id, so the advice can point at it.
    private static final String DEFAULT_ADVICE =
            "Go back to the app and try again. If it keeps happening, contact the app's support team with the request ID below.";

    private final HtmlTemplates templates = HtmlTemplates.precompiled();
    private final CsrfTokens csrf;
    private final boolean registrationOpen;

    public Pages(CsrfTokens csrf) {
        this(csrf, false);
    }

    /** @param registrationOpen whether /register is served, so the sign-in page may link to it */
    public Pages(CsrfTokens csrf, boolean registrationOpen) {
        this.csrf = csrf;
        this.registrationOpen = registrationOpen;
    }

    /** @param error null for a fresh form; otherwise the one generic message to show */
    public void login(Context ctx, AuthorizationRequest request, String username, String error, int status) {
        String handle = RequestHandle.encode(request.parameters());
        LoginPage page = LoginPage.blank(PRODUCT, request.client().name(), csrf.tokenFor(ctx), handle, username);
        if (registrationOpen) {
            page = page.withRegisterUrl("/register?" + handle); // sign-up then continues this request
        }
        html(ctx, status, templates.login(error == null ? page : page.withError(error)));
    }

    /** The code step of the sign-in; {@code error} null for a fresh form. */
    public void loginOtp(Context ctx, AuthorizationRequest request, String ticket, String error, int status) {
        html(ctx, status, templates.loginOtp(LoginOtpPage.of(PRODUCT, request.client().name(), csrf.tokenFor(ctx),
                RequestHandle.encode(request.parameters()), ticket, error)));
    }

    /**
     * An empty sign-up form with a fresh CSRF token, to fill in and pass to {@link #register(Context, int, RegisterPage)}.
     *
     * @param request the authorization request waiting for the new account, or null for a sign-up on its own
     */
    public RegisterPage registerForm(Context ctx, AuthorizationRequest request, int passwordMinLength) {
        if (request == null) {
            return RegisterPage.blank(PRODUCT, null, csrf.tokenFor(ctx), "", passwordMinLength, null);
        }
        String handle = RequestHandle.encode(request.parameters());
        return RegisterPage.blank(PRODUCT, request.client().name(), csrf.tokenFor(ctx), handle, passwordMinLength,
                "/login?" + handle);
    }

    public void register(Context ctx, int status, RegisterPage page) {
        html(ctx, status, templates.register(page));
    }

    /**
     * The account exists. With a waiting authorization request the page leads on to the usual sign-in for it,
     * the new username filled in as its {@code login_hint}; the request is otherwise unchanged.
     */
    public void registered(Context ctx, String username, AuthorizationRequest request) {
        String continueUrl = null;
        String clientName = null;
        if (request != null) {
            Map<String, List<String>> parameters = new LinkedHashMap<>(request.parameters());
            parameters.put("login_hint", List.of(username));
            continueUrl = "/login?" + RequestHandle.encode(parameters);
            clientName = request.client().name();
        }
        html(ctx, 200, templates.registered(new RegisteredPage(PRODUCT, username, clientName, continueUrl)));
    }

    /** Turning on two-step sign-in: the QR code, the key and the field for the first code. */
    public void totpEnrol(Context ctx, String username, String sealedOffer, String secret, String keyUri, String error,
                          int status) {
        html(ctx, status, templates.totpEnrol(TotpEnrolPage.offer(PRODUCT, username, csrf.tokenFor(ctx), sealedOffer,
                secret, keyUri, error)));
    }

    public void totpEnrolDone(Context ctx, String username, String message) {
        html(ctx, 200, templates.totpEnrol(TotpEnrolPage.done(PRODUCT, username, message)));
    }

    /** @param username shown as "Signed in as", so people see which account they are granting; may be null */
    public void consent(Context ctx, AuthorizationRequest request, Scopes scopes, String username,
                        List<ConsentClaim> claims) {
        html(ctx, 200, templates.consent(ConsentPage.of(PRODUCT, request.client().name(), csrf.tokenFor(ctx),
                RequestHandle.encode(request.parameters()), username, new ArrayList<>(scopes.values()))
                .withClaims(ClaimDescriptions.describeAll(claims))));
    }

    /** serve --dev only: the demo app's callback page. */
    public void devCallback(Context ctx, int status, DevCallbackPage page) {
        html(ctx, status, templates.devCallback(page));
    }

    public void error(Context ctx, int status, String title, String message) {
        error(ctx, status, title, message, DEFAULT_ADVICE);
    }

    public void error(Context ctx, int status, String title, String message, String advice) {
        html(ctx, status, templates.error(new ErrorPage(PRODUCT, title, message, advice, RequestIds.of(ctx))));
    }

    /** 503: the store cannot be reached; the caller sets {@code Retry-After}. */
    public void temporarilyUnavailable(Context ctx) {
        html(ctx, 503, templates.error(ErrorPage.temporarilyUnavailable(PRODUCT, RequestIds.of(ctx))));
    }

    public void loggedOut(Context ctx, String clientName) {
        html(ctx, 200, templates.loggedOut(new LoggedOutPage(PRODUCT, clientName, null)));
    }

    /** Any argument but {@code ctx} may be null; see {@link LogoutConfirmPage}. */
    public void confirmLogout(Context ctx, String clientName, String username, String clientId,
                              String postLogoutRedirectUri, String state) {
        html(ctx, 200, templates.logoutConfirm(new LogoutConfirmPage(PRODUCT, clientName, username, csrf.tokenFor(ctx),
                clientId, postLogoutRedirectUri, state)));
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
