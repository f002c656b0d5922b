package dev.tessera.server.http.endpoint;

import dev.tessera.server.application.authorize.AuthorizationRequest;
import dev.tessera.server.application.authorize.AuthorizeService;
import dev.tessera.server.application.authorize.RegistrationService;
import dev.tessera.server.application.authorize.RegistrationService.Field;
import dev.tessera.server.application.authorize.RegistrationService.Result;
import dev.tessera.server.http.support.ClientAddresses;
import dev.tessera.server.http.support.CsrfTokens;
import dev.tessera.server.http.support.Forms;
import dev.tessera.server.http.support.Pages;
import dev.tessera.server.http.view.RegisterPage;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GET|POST /register, served only with {@code registration.enabled}. The page may carry an authorization
 * request (from the sign-in page's "Create an account" link); after the account is created the person signs in
 * for it as usual. POST checks the CSRF token, then {@link RegistrationService} decides.
 */
public final class RegisterEndpoint {
    static final String CHECK_FIELDS = "Your account was not created. Please correct the fields marked below.";
    static final String TAKEN = "That username is already taken. Please choose another one.";
    static final String THROTTLED = "Too many sign-up attempts from your network.";
    static final String BUSY = "Sign-up is very busy right now. Please try again in a moment.";
    private static final PageForms.Refusals REFUSALS = new PageForms.Refusals(
            "Sign-up failed", "The sign-up form was not sent correctly. Go back and try again.",
            "Your sign-up page expired", "For your security the form can only be used from this browser. Go back,"
            + " reload the page and try again.");

    private final RegistrationService registrations;
    private final int passwordMinLength;
    private final Pages pages;
    private final ClientAddresses clientAddresses;
    private final PageForms forms;
    private final CarriedRequests requests;

    public RegisterEndpoint(AuthorizeService authorize, RegistrationService registrations, int passwordMinLength,
                            CsrfTokens csrf, AuthorizeResponder responder, Pages pages,
                            ClientAddresses clientAddresses) {
        this.registrations = registrations;
        this.passwordMinLength = passwordMinLength;
        this.pages = pages;
        this.clientAddresses = clientAddresses;
        this.forms = new PageForms(csrf, pages);
        this.requests = new CarriedRequests(authorize, responder);
    }

    public void show(Context ctx) {
        // Sign-up may be opened without an authorization request (then null).
        requests.showFromQuery(ctx, pages, "The sign-up link is invalid", true,
                request -> pages.register(ctx, 200, pages.registerForm(ctx, request, passwordMinLength)));
    }

    public void submit(Context ctx) {
        Optional<Map<String, List<String>>> read = forms.read(ctx, REFUSALS);
        if (read.isEmpty()) {
            return;
        }
        Map<String, List<String>> form = read.get();
        AuthorizationRequest request = null; // sign-up opened without an authorization request
        if (CarriedRequests.present(form)) {
            Optional<AuthorizationRequest> carried = requests.of(ctx, form);
            if (carried.isEmpty()) {
                return;
            }
            request = carried.get();
        }
        String username = nullToEmpty(Forms.exactlyOne(form, "username"));
        String email = nullToEmpty(Forms.exactlyOne(form, "email"));
        char[] password = nullToEmpty(Forms.exactlyOne(form, "password")).toCharArray();
        Result result = registrations.register(new RegistrationService.Application(username, email, password),
                clientAddresses.keyOf(ctx));

        if (result instanceof Result.Registered registered) {
            pages.registered(ctx, registered.user().username(), request);
            return;
        }
        RegisterPage again = pages.registerForm(ctx, request, passwordMinLength).typed(username, email);
        if (result instanceof Result.Invalid invalid) {
            Map<Field, String> problems = invalid.problems();
            pages.register(ctx, 400, again.withAlert(CHECK_FIELDS).withFieldErrors(problems.get(Field.USERNAME),
                    problems.get(Field.EMAIL), problems.get(Field.PASSWORD)));
        } else if (result instanceof Result.UsernameTaken) {
            pages.register(ctx, 409, again.withAlert(CHECK_FIELDS).withFieldErrors(TAKEN, null, null));
        } else if (result instanceof Result.Throttled throttled) {
            pages.register(ctx, 429, again.withAlert(THROTTLED + " " + RetryWait.announce(ctx, throttled.retryAfter())));
        } else {
            ctx.header("Retry-After", "1");
            pages.register(ctx, 503, again.withAlert(BUSY));
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
