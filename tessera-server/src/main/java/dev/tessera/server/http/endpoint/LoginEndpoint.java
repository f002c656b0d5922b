package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.authorize.AuthorizationRequest;
import dev.tessera.server.application.authorize.AuthorizeOutcome;
import dev.tessera.server.application.authorize.AuthorizeService;
import dev.tessera.server.application.authorize.LoginService;
import dev.tessera.server.application.authorize.SessionService;
import dev.tessera.server.application.mfa.SecondFactorService;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.http.support.ClientAddresses;
import dev.tessera.server.http.support.CsrfTokens;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.support.SessionCookie;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GET|POST /login. GET shows the form for an authorization request given in the query; POST checks the
 * CSRF token and the password, starts the SSO session and continues the authorization request.
 */
public final class LoginEndpoint {
    static final String GENERIC_FAILURE = dev.tessera.server.http.view.LoginPage.BAD_CREDENTIALS;
    static final String THROTTLED = "Too many sign-in attempts.";
    static final String BUSY = "Sign-in is very busy right now. Please try again in a moment.";
    static final String WRONG_CODE = "That code didn't work. Check your authenticator app and enter the current code.";
    static final String REPLAYED_CODE = "That code was already used. Wait for the next code in your app and enter it.";
    static final String TOO_MANY_CODES = "Too many wrong codes.";
    static final String START_OVER = "Your sign-in took too long. Please sign in again.";
    private static final PageForms.Refusals REFUSALS = new PageForms.Refusals(
            "Sign-in failed", "The sign-in form was not sent correctly. Go back and try again.",
            "Your sign-in page expired", "For your security the form can only be used once and from this browser.");

    private final AuthorizeService authorize;
    private final LoginService logins;
    private final SecondFactorService secondFactor;
    private final SessionService sessions;
    private final SessionCookie sessionCookie;
    private final AuthorizeResponder responder;
    private final Pages pages;
    private final ClientAddresses clientAddresses;
    private final PageForms forms;
    private final CarriedRequests requests;

    public LoginEndpoint(AuthorizeService authorize, LoginService logins, SecondFactorService secondFactor,
                         SessionService sessions, SessionCookie sessionCookie, CsrfTokens csrf,
                         AuthorizeResponder responder, Pages pages, ClientAddresses clientAddresses) {
        this.authorize = authorize;
        this.logins = logins;
        this.secondFactor = secondFactor;
        this.sessions = sessions;
        this.sessionCookie = sessionCookie;
        this.responder = responder;
        this.pages = pages;
        this.clientAddresses = clientAddresses;
        this.forms = new PageForms(csrf, pages);
        this.requests = new CarriedRequests(authorize, responder);
    }

    public void show(Context ctx) {
        requests.showFromQuery(ctx, pages, "The sign-in link is invalid", false,
                request -> pages.login(ctx, request, request.loginHint(), null, 200));
    }

    public void submit(Context ctx) {
        Optional<Map<String, List<String>>> form = forms.read(ctx, REFUSALS);
        Optional<AuthorizationRequest> carried = form.isEmpty() ? Optional.empty() : requests.of(ctx, form.get());
        if (carried.isEmpty()) {
            return;
        }
        signIn(ctx, form.get(), carried.get());
    }

    /** The password step, or with a ticket the code step, for a checked form and its valid request. */
    private void signIn(Context ctx, Map<String, List<String>> form, AuthorizationRequest request) {
        String ticket = Forms.exactlyOne(form, "ticket");
        if (ticket != null) {
            submitCode(ctx, request, ticket, nullToEmpty(Forms.exactlyOne(form, "otp")));
            return;
        }
        String username = nullToEmpty(Forms.exactlyOne(form, "username"));
        char[] password = nullToEmpty(Forms.exactlyOne(form, "password")).toCharArray();
        LoginService.Result result = logins.login(username, password, clientAddresses.keyOf(ctx));
        if (result instanceof LoginService.Result.Success success) {
            Optional<String> challenge = secondFactor.challengeFor(success.user(), request.fingerprint());
            if (challenge.isPresent()) {
                pages.loginOtp(ctx, request, challenge.get(), null, 200);
                return;
            }
            signIn(ctx, request, success.user().id(), success.authentication());
            return;
        }
        if (result instanceof LoginService.Result.Throttled throttled) {
            pages.login(ctx, request, username, THROTTLED + " " + RetryWait.announce(ctx, throttled.retryAfter()), 429);
            return;
        }
        if (result instanceof LoginService.Result.Busy) {
            ctx.header("Retry-After", "1");
            pages.login(ctx, request, username, BUSY, 503);
            return;
        }
        responder.respond(ctx, new AuthorizeOutcome.ShowLogin(request, username, GENERIC_FAILURE));
    }

    /** The code step: the ticket from the password step (or a step-up) and the 6-digit code. */
    private void submitCode(Context ctx, AuthorizationRequest request, String ticket, String code) {
        SecondFactorService.Outcome outcome = secondFactor.complete(ticket, code.trim(), request.fingerprint(),
                clientAddresses.keyOf(ctx));
        if (outcome instanceof SecondFactorService.Outcome.Passed passed) {
            // A new session (new cookie, new sid) for the stronger sign-in; a weaker one in this browser ends.
            sessions.end(sessionCookie.read(ctx));
            signIn(ctx, request, passed.user().id(), passed.authentication());
        } else if (outcome instanceof SecondFactorService.Outcome.Throttled throttled) {
            pages.loginOtp(ctx, request, ticket,
                    TOO_MANY_CODES + " " + RetryWait.announce(ctx, throttled.retryAfter()), 429);
        } else if (outcome instanceof SecondFactorService.Outcome.Replayed) {
            pages.loginOtp(ctx, request, ticket, REPLAYED_CODE, 200);
        } else if (outcome instanceof SecondFactorService.Outcome.WrongCode) {
            pages.loginOtp(ctx, request, ticket, WRONG_CODE, 200);
        } else if (outcome instanceof SecondFactorService.Outcome.Unavailable) {
            pages.error(ctx, 503, "Your second factor cannot be checked right now",
                    "Sign-in with your authenticator app is not working at the moment.",
                    "Contact the people who run this service and give them the request ID below.");
        } else {
            pages.login(ctx, request, request.loginHint(), START_OVER, 200);
        }
    }

    private void signIn(Context ctx, AuthorizationRequest request, String userId, AuthenticationEvent authentication) {
        SessionService.Started started = sessions.startFor(request, userId, authentication);
        sessionCookie.set(ctx, started.cookieValue());
        responder.respond(ctx, authorize.afterLogin(request, started.session()));
    }



    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
