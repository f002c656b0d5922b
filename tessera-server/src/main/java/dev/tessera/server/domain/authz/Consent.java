package dev.tessera.server.domain.authz;

import dev.tessera.server.domain.scope.Scopes;

import java.time.Instant;

/** The scopes a user has allowed a client; a request for more asks again. */
public record Consent(String userId, String clientId, Scopes scopes, Instant grantedAt) {
}
