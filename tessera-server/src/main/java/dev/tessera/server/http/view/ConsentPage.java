package dev.tessera.server.http.view;

import java.util.List;
import java.util.Objects;

/**
 * Asks a signed-in person whether {@code clientName} may have {@code scopes} and the {@code claims} it asked for
 * beyond them. The form posts {@code decision=allow} or {@code decision=deny}. {@code username} (shown as
 * "Signed in as") may be null.
 */
public record ConsentPage(
        String productName,
        String clientName,
        String formAction,
        String csrfToken,
        String requestHandle,
        String username,
        List<ScopeDescription> scopes,
        List<ClaimDescription> claims) {

    public ConsentPage {
        Objects.requireNonNull(productName, "productName");
        Objects.requireNonNull(clientName, "clientName");
        Objects.requireNonNull(csrfToken, "csrfToken");
        Objects.requireNonNull(requestHandle, "requestHandle");
        formAction = PageLinks.requireFormAction(formAction, "formAction");
        scopes = List.copyOf(scopes);
        claims = List.copyOf(claims);
    }

    public ConsentPage(String productName, String clientName, String formAction, String csrfToken,
                       String requestHandle, String username, List<ScopeDescription> scopes) {
        this(productName, clientName, formAction, csrfToken, requestHandle, username, scopes, List.of());
    }

    /** The same page also naming the claims asked for beyond the scopes. */
    public ConsentPage withClaims(List<ClaimDescription> requestedClaims) {
        return new ConsentPage(productName, clientName, formAction, csrfToken, requestHandle, username, scopes,
                requestedClaims);
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
