package dev.tessera.server.application.grant;

import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.domain.scope.Scopes;

import java.time.Instant;

/** When a refresh token is handed out: the client may refresh, and an OIDC request asked for offline_access. */
final class RefreshPolicy {
    private RefreshPolicy() {
    }

    // OIDC Core §11: with openid, a refresh token needs offline_access; plain OAuth requests get one when allowed.
    static boolean issuesRefreshToken(Client client, Scopes scopes) {
        if (!client.allowsGrant(GrantTypes.REFRESH_TOKEN)) {
            return false;
        }
        return !scopes.contains(Scopes.OPENID) || scopes.contains(Scopes.OFFLINE_ACCESS);
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
