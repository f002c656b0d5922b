package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * Self-service sign-up (only when {@code registration.enabled}). After a refused attempt it keeps what the
 * person typed, except the password, which it never echoes. {@code alert} is the page-level message (throttled,
 * busy, "check the fields"); each field's own problem sits under that field. Everything but the product name,
 * form action, CSRF token and request handle may be null.
 */
public record RegisterPage(
        String productName,
        String clientName,
        String formAction,
        String csrfToken,
        String requestHandle,
        int passwordMinLength,
        String username,
        String email,
        String alert,
        String usernameError,
        String emailError,
        String passwordError,
        String loginUrl) {

    public RegisterPage {
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(requestHandle, "requestHandle");
        formAction = PageLinks.requireFormAction(formAction, "formAction");
        if (loginUrl != null) {
            loginUrl = PageLinks.requireFormAction(loginUrl, "loginUrl");
        }
    }

    /** An empty form posting to {@code /register}; {@code loginUrl} (back to sign-in) may be null. */
    public static RegisterPage blank(String productName, String clientName, String csrfToken, String requestHandle,
                                     int passwordMinLength, String loginUrl) {
        return new RegisterPage(productName, clientName, "/register", csrfToken, requestHandle, passwordMinLength,
                null, null, null, null, null, null, loginUrl);
    }

    /** The same form with what the person typed (never the password). */
    public RegisterPage typed(String typedUsername, String typedEmail) {
        return new RegisterPage(productName, clientName, formAction, csrfToken, requestHandle, passwordMinLength,
                typedUsername, typedEmail, alert, usernameError, emailError, passwordError, loginUrl);
    }

    public RegisterPage withAlert(String message) {
        return new RegisterPage(productName, clientName, formAction, csrfToken, requestHandle, passwordMinLength,
                username, email, message, usernameError, emailError, passwordError, loginUrl);
    }

    /** Each argument is that field's problem, or null when the field is fine. */
    public RegisterPage withFieldErrors(String forUsername, String forEmail, String forPassword) {
        return new RegisterPage(productName, clientName, formAction, csrfToken, requestHandle, passwordMinLength,
                username, email, alert, forUsername, forEmail, forPassword, loginUrl);
    }

    public boolean hasAlert() {
        return alert != null && !alert.isBlank();
    }

    public String passwordHint() {
        return "At least " + passwordMinLength + " characters. A phrase of a few words is easy to remember.";
    }

    /** What the password field is described by: its problem when it has one, always its hint. */
    public String passwordDescribedBy() {
        return passwordError == null ? "password-hint" : "password-error password-hint";
    }

    /** The first field with a problem gets the focus, so a keyboard or screen-reader user lands on it. */
    public boolean focusUsername() {
        return usernameError != null || (emailError == null && passwordError == null && username == null);
    }

    public boolean focusEmail() {
        return usernameError == null && emailError != null;
    }

    public boolean focusPassword() {
        return usernameError == null && emailError == null && (passwordError != null || username != null);
    }
}
