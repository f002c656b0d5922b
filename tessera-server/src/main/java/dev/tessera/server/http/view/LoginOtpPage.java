package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * The second sign-in step for a user with TOTP: one {@code otp} field and the same Sign in button. The
 * {@code ticket} carries the first step's result; {@code startOverUrl} leads back to the password form for
 * the same request. {@code clientName} and {@code errorMessage} may be null.
 */
public record LoginOtpPage(
        String productName,
        String clientName,
        String formAction,
        String csrfToken,
        String requestHandle,
        String ticket,
        String startOverUrl,
        String errorMessage) {

    public LoginOtpPage {
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(requestHandle, "requestHandle");
        Objects.requireNonNull(ticket, "ticket");
        formAction = PageLinks.requireFormAction(formAction, "formAction");
        startOverUrl = PageLinks.requireFormAction(startOverUrl, "startOverUrl");
    }

    public static LoginOtpPage of(String productName, String clientName, String csrfToken, String requestHandle,
                                  String ticket, String errorMessage) {
        return new LoginOtpPage(productName, clientName, "/login", csrfToken, requestHandle, ticket,
                "/login?" + requestHandle, errorMessage);
    }

    public boolean hasError() {
        return errorMessage != null && !errorMessage.isBlank();
    }
}
