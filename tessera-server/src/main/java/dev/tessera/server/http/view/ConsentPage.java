package dev.tessera.server.http.view;

import java.util.List;
import java.util.Objects;

/**
 * Asks a signed-in person whether {@code clientName} may have {@code scopes}. The form posts
 * {@code decision=allow} or {@code decision=deny}. {@code username} (shown as "Signed in as") may be null.
 */
public record ConsentPage(
        String productName,
        String clientName,
        String formAction,
        String csrfToken,
        String requestHandle,
        String username,
        List<ScopeDescription> scopes) {

    public ConsentPage {
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(requestHandle, "requestHandle");
        formAction = PageLinks.requireFormAction(formAction, "formAction");
        scopes = List.copyOf(scopes);
    }

    /** A consent form posting to {@code /consent}, describing the raw scopes with {@link ScopeDescriptions}. */
    public static ConsentPage of(String productName, String clientName, String csrfToken, String requestHandle,
                                 String username, List<String> requestedScopes) {
        return new ConsentPage(productName, clientName, "/consent", csrfToken, requestHandle, username,
                ScopeDescriptions.describeAll(requestedScopes));
    }

    public boolean hasUsername() {
        return username != null && !username.isEmpty();
    }
}
