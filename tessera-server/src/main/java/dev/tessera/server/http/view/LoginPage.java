package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * The sign-in form. The password is deliberately not a field: it is never echoed back, not even
 * after a failed attempt. {@code username} (kept after a failure, or from {@code login_hint}),
 * {@code clientName}, {@code errorMessage} and {@code registerUrl} may be null.
 */
public record LoginPage(
        String productName,
        String clientName,
        String formAction,
        String csrfToken,
        String requestHandle,
        String username,
        String errorMessage,
        String registerUrl) {

    /** The one message for every failed attempt, so the page never tells which part was wrong. */
    public static final String BAD_CREDENTIALS = "That username and password didn't match. Please try again.";

    public LoginPage {
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(requestHandle, "requestHandle");
        formAction = PageLinks.requireFormAction(formAction, "formAction");
        if (registerUrl != null) {
            registerUrl = PageLinks.requireFormAction(registerUrl, "registerUrl");
        }
    }

    /** A fresh form posting to {@code /login}; {@code usernameHint} (e.g. login_hint) may be null. */
    public static LoginPage blank(String productName, String clientName, String csrfToken, String requestHandle,
                                  String usernameHint) {
        return new LoginPage(productName, clientName, "/login", csrfToken, requestHandle, usernameHint, null, null);
    }

    /** The same form again after bad credentials: username kept, generic message shown. */
    public LoginPage afterFailedAttempt(String attemptedUsername, String newCsrfToken) {
        return new LoginPage(productName, clientName, formAction, newCsrfToken, requestHandle, attemptedUsername,
                BAD_CREDENTIALS, registerUrl);
    }

    public LoginPage withError(String message) {
        return new LoginPage(productName, clientName, formAction, csrfToken, requestHandle, username, message,
                registerUrl);
    }

    public LoginPage withRegisterUrl(String url) {
        return new LoginPage(productName, clientName, formAction, csrfToken, requestHandle, username, errorMessage,
                url);
    }

    public boolean hasError() {
        return errorMessage != null && !errorMessage.isBlank();
    }

    public boolean hasUsername() {
        return username != null && !username.isEmpty();
    }
}
