package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * Confirms RP-initiated logout. {@code returnUrl} (a registered post_logout_redirect_uri, with
 * {@code state} already appended) and {@code clientName} may be null; without a return URL the
 * page simply says it is safe to close the window.
 */
public record LoggedOutPage(String productName, String clientName, String returnUrl) {

    public LoggedOutPage {
        Objects.requireNonNull(productName, "productName");
        if (returnUrl != null) {
            returnUrl = PageLinks.requireWebUrl(returnUrl, "returnUrl");
        }
    }

    public boolean hasReturnUrl() {
        return returnUrl != null;
    }

    /** Link text: the client's name when known, else a neutral phrase. */
    public String returnLabel() {
        return clientName == null || clientName.isBlank() ? "Return to the app" : "Return to " + clientName;
    }
}
