package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.authorize.SessionService;
import dev.tessera.server.application.mfa.TotpEnrolment;
import dev.tessera.server.domain.user.User;
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
 * GET|POST /account/totp: the signed-in user turns on two-step sign-in. GET offers a new secret (QR code and
 * key); POST saves it once a code from it is right. Needs a recent sign-in in this browser.
 */
public final class AccountTotpEndpoint {
    static final String WRONG_CODE = "That code didn't match. Check the app shows this account and enter its current code.";
    static final String START_OVER = "That page was out of date, so here is a new key. Scan it and enter its code.";
    private static final PageForms.Refusals REFUSALS = new PageForms.Refusals(
            "The form was not sent correctly", "Go back and try again.",
            "This page expired", "For your security the form can only be used once and from this browser. Open it again.");

    private final TotpEnrolment enrolment;
    private final SessionService sessions;
    private final SessionCookie sessionCookie;
    private final Pages pages;
    private final ClientAddresses clientAddresses;
    private final PageForms forms;

    public AccountTotpEndpoint(TotpEnrolment enrolment, SessionService sessions, SessionCookie sessionCookie,
                               CsrfTokens csrf, Pages pages, ClientAddresses clientAddresses) {
        this.enrolment = enrolment;
        this.sessions = sessions;
        this.sessionCookie = sessionCookie;
        this.pages = pages;
        this.clientAddresses = clientAddresses;
        this.forms = new PageForms(csrf, pages);
    }

    public void show(Context ctx) {
        Optional<User> user = signedIn(ctx);
        if (user.isEmpty()) {
            return;
        }
        if (enrolment.isEnrolled(user.get())) {
            alreadyOn(ctx, user.get());
            return;
        }
        offer(ctx, user.get(), enrolment.offer(user.get()), null, 200);
    }

    public void submit(Context ctx) {
        Optional<Map<String, List<String>>> read = forms.read(ctx, REFUSALS);
        Optional<User> user = read.isEmpty() ? Optional.empty() : signedIn(ctx);
        if (user.isEmpty()) {
            return;
        }
        Map<String, List<String>> form = read.get();
        String sealedOffer = Forms.exactlyOne(form, "offer");
        String code = Optional.ofNullable(Forms.exactlyOne(form, "otp")).orElse("").trim();
        TotpEnrolment.Result result = enrolment.confirm(user.get(), sealedOffer, code, clientAddresses.keyOf(ctx));
        if (result instanceof TotpEnrolment.Result.Enrolled) {
            pages.totpEnrolDone(ctx, user.get().username(),
                    "From now on you sign in with your password and a code from your authenticator app.");
        } else if (result instanceof TotpEnrolment.Result.AlreadyEnrolled) {
            alreadyOn(ctx, user.get());
        } else if (result instanceof TotpEnrolment.Result.Throttled throttled) {
            reoffer(ctx, user.get(), sealedOffer,
                    "Too many wrong codes. " + RetryWait.announce(ctx, throttled.retryAfter()), 429);
        } else if (result instanceof TotpEnrolment.Result.WrongCode) {
            reoffer(ctx, user.get(), sealedOffer, WRONG_CODE, 200);
        } else {
            offer(ctx, user.get(), enrolment.offer(user.get()), START_OVER, 200);
        }
    }

    private Optional<User> signedIn(Context ctx) {
        TotpEnrolment.Access access = enrolment.access(sessions.find(sessionCookie.read(ctx)));
        if (access instanceof TotpEnrolment.Access.Allowed allowed) {
            return Optional.of(allowed.user());
        }
        if (access instanceof TotpEnrolment.Access.SignInAgain) {
            pages.error(ctx, 403, "Please sign in again first",
                    "Turning on two-step sign-in needs a sign-in from the last few minutes.",
                    "Sign out and sign in again through your app, then come back to this page.");
        } else {
            pages.error(ctx, 401, "You are not signed in",
                    "Two-step sign-in is turned on for a signed-in account.",
                    "Sign in through your app first, then come back to this page in the same browser.");
        }
        return Optional.empty();
    }

    private void reoffer(Context ctx, User user, String sealedOffer, String message, int status) {
        Optional<TotpEnrolment.Offer> again = enrolment.reoffer(user, sealedOffer == null ? "" : sealedOffer);
        offer(ctx, user, again.orElseGet(() -> enrolment.offer(user)), again.isPresent() ? message : START_OVER,
                status);
    }

    private void offer(Context ctx, User user, TotpEnrolment.Offer offer, String error, int status) {
        pages.totpEnrol(ctx, user.username(), offer.sealedOffer(), offer.secret(), offer.keyUri(), error, status);
    }

    private void alreadyOn(Context ctx, User user) {
        pages.totpEnrolDone(ctx, user.username(), "Two-step sign-in is already on for this account. To move it to "
                + "another phone, ask the people who run this service to reset it.");
    }
}
