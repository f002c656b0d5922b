package dev.tessera.server.application.grant;

import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;

/**
 * The user a token-exchange subject_token stands for, as this server issued it.
 *
 * @param authentication the sign-in behind the token (auth_time, acr, amr); null when the token carries none
 * @param scopes         what the token lets the caller have; null for an ID token, which carries no scope (see
 *                       {@link SubjectTokenVerifier#allowedScopes})
 * @param grantId        the authorization the token belongs to, so tokens minted from it share its revocation;
 *                       null when unknown (ID tokens)
 */
record Subject(User user, AuthenticationEvent authentication, Scopes scopes, GrantId grantId) {
}
