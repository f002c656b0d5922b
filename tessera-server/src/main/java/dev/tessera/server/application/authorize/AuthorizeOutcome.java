package dev.tessera.server.application.authorize;

import dev.tessera.server.domain.scope.Scopes;

import java.util.List;

/** What the authorization endpoint does next; the HTTP layer renders each case. */
public sealed interface AuthorizeOutcome {
    /** Ask the user to sign in. {@code error} is the generic failure message after a bad attempt, else null. */
    record ShowLogin(AuthorizationRequest request, String username, String error) implements AuthorizeOutcome { }

    /**
     * Ask the signed-in user for their second factor, because the request wants a stronger sign-in than the
     * session's (step-up); {@code ticket} carries the first factor to the code step.
     */
    record ShowSecondFactor(AuthorizationRequest request, String ticket) implements AuthorizeOutcome { }

    /**
     * Ask the signed-in user to allow {@code scopes} and the {@code claims} asked for beyond them; {@code username}
     * tells them which account is asking (may be null).
     */
    record ShowConsent(AuthorizationRequest request, Scopes scopes, String username, List<ConsentClaim> claims)
            implements AuthorizeOutcome {
        public ShowConsent {
            claims = List.copyOf(claims);
        }

        public ShowConsent(AuthorizationRequest request, Scopes scopes, String username) {
            this(request, scopes, username, List.of());
        }

        public ShowConsent(AuthorizationRequest request, Scopes scopes) {
            this(request, scopes, null);
        }
    }

    /** Send the browser back to the client with a code or an error. */
    record Respond(AuthorizationResponse response) implements AuthorizeOutcome { }

    /**
     * The client or redirect URI cannot be trusted, so nothing is sent to it (RFC 6749 §4.1.2.1): an error
     * page for the user instead. {@code message} is safe to show.
     */
    record ErrorPage(int status, String title, String message) implements AuthorizeOutcome { }
}
