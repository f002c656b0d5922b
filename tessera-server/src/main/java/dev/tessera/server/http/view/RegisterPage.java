package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * Self-service sign-up (only when {@code registration.enabled}). Like the login page, it never
 * echoes a password. {@code clientName}, {@code username}, {@code errorMessage} and
 * {@code loginUrl} may be null.
 */
public record RegisterPage(
        String productName,
        String clientName,
        String formAction,
        String csrfToken,
        String requestHandle,
        String username,
        String errorMessage,
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

    public boolean hasError() {
        return errorMessage != null && !errorMessage.isBlank();
    }
}
