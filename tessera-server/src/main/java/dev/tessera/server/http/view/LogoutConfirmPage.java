package dev.tessera.server.http.view;

import java.util.Objects;

/**
 * Asks before signing out (RP-Initiated Logout 1.0 §2), for a request that did not prove it came from the
 * app the user is signed in to. The button posts the CSRF token and the request's client, return address and
 * state back to {@code /logout}. {@code clientName}, {@code username}, {@code clientId},
 * {@code postLogoutRedirectUri} and {@code state} may be null.
 */
public record LogoutConfirmPage(String productName, String clientName, String username, String csrfToken,
                                String clientId, String postLogoutRedirectUri, String state) {

    public LogoutConfirmPage {
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(csrfToken, "csrfToken");
        // postLogoutRedirectUri is only a hidden value posted back and checked again against the client's
        // registered URIs, never a link, so a native app's custom scheme is fine here.
    }

    public boolean hasClientName() {
        return clientName != null && !clientName.isBlank();
    }

    public boolean hasUsername() {
        return username != null && !username.isBlank();
    }
}
