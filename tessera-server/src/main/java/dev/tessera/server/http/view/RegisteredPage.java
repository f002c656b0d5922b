package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * After a successful sign-up. With an authorization request waiting, {@code continueUrl} leads to the usual
 * sign-in for it (username filled in); without one there is nothing to sign in to here, so the page sends the
 * person back to their app. {@code clientName} and {@code continueUrl} may be null.
 */
public record RegisteredPage(String productName, String username, String clientName, String continueUrl) {

    public RegisteredPage {
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(username, "username");
        if (continueUrl != null) {
            continueUrl = PageLinks.requireFormAction(continueUrl, "continueUrl");
        }
    }

    public boolean canContinue() {
        return continueUrl != null;
    }
}
