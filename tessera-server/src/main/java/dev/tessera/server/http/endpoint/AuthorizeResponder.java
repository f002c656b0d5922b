package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.authorize.AuthorizationResponse;
import dev.tessera.server.application.authorize.AuthorizeOutcome;
import dev.tessera.server.application.authorize.ResponseMode;
import dev.tessera.server.http.support.AnsweredErrors;
import dev.tessera.server.http.support.Pages;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/** Turns an {@link AuthorizeOutcome} into the page or redirect the browser gets. Shared by /authorize, /login and /consent. */
public final class AuthorizeResponder {
    private final Pages pages;

    public AuthorizeResponder(Pages pages) {
        this.pages = pages;
    }

    public void respond(Context ctx, AuthorizeOutcome outcome) {
        if (outcome instanceof AuthorizeOutcome.ShowLogin login) {
            pages.login(ctx, login.request(), login.username(), login.error(), 200);
        } else if (outcome instanceof AuthorizeOutcome.ShowSecondFactor secondFactor) {
            pages.loginOtp(ctx, secondFactor.request(), secondFactor.ticket(), null, 200);
        } else if (outcome instanceof AuthorizeOutcome.ShowConsent consent) {
            pages.consent(ctx, consent.request(), consent.scopes(), consent.username(), consent.claims());
        } else if (outcome instanceof AuthorizeOutcome.Respond respond) {
            redirect(ctx, respond.response());
        } else if (outcome instanceof AuthorizeOutcome.ErrorPage error) {
            pages.error(ctx, error.status(), error.title(), error.message());
        }
    }

    private void redirect(Context ctx, AuthorizationResponse response) {
        if (response.isError()) {
            AnsweredErrors.mark(ctx, response.parameters().get("error"));
        }
        if (response.mode() == ResponseMode.FORM_POST) {
            pages.formPost(ctx, response);
            return;
        }
        ctx.header("Cache-Control", "no-store");
        // 303 after a POST so the browser follows with GET; 302 is the RFC 6749 example for GET.
        HttpStatus status = "POST".equals(ctx.method().name()) ? HttpStatus.SEE_OTHER : HttpStatus.FOUND;
        ctx.redirect(response.location(), status);
    }
}
