package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.authz.LoginSession;
import dev.tessera.server.domain.authz.PkceChallenge;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.domain.token.TokenHash;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Domain values with every field filled, built relative to the test clock. */
public final class StoreSamples {
    static final String VERIFIER_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private StoreSamples() {
    }

    public static TokenHash newHash() {
        return OpaqueToken.generate(OpaqueToken.CODE_PREFIX).hash();
    }

    public static AuthenticationEvent authentication(Instant at) {
        return new AuthenticationEvent(at.minusSeconds(30), "urn:tessera:acr:password", List.of("pwd", "otp"));
    }

    public static AuthorizationCode code(TokenHash hash, GrantId grantId, Instant now, Duration ttl) {
        return new AuthorizationCode(hash, grantId, "client-a", "user-1", "https://app.example/cb",
                new PkceChallenge(VERIFIER_CHALLENGE), "n-0S6_WzA2Mj", Scopes.of("openid", "profile", "offline_access"),
                authentication(now), "sid-1", "{\"id_token\":{\"email\":{\"essential\":true}}}",
                List.of("https://api.example/", "https://other.example/"), now, now.plus(ttl));
    }

    /** A claims request as a grant stores it: the JSON the client sent. */
    static final String CLAIMS_REQUEST = "{\"userinfo\":{\"email\":{\"essential\":true}},\"id_token\":{\"verified_claims\":"
            + "{\"verification\":{\"trust_framework\":null},\"claims\":{\"given_name\":null}}}}";

    public static RefreshToken refreshToken(GrantId grantId, Instant now) {
        return new RefreshToken(newHash(), grantId, "client-a", "user-1", Scopes.of("openid", "offline_access"),
                authentication(now), "sid-1", List.of("https://api.example/"), now, now.plus(Duration.ofDays(30)),
                now.plus(Duration.ofDays(90)), CLAIMS_REQUEST);
    }

    /** What a refresh grant builds from the presented token: same family, new secret, later expiry. */
    public static RefreshToken successorOf(RefreshToken current, Instant now) {
        return new RefreshToken(newHash(), current.grantId(), current.clientId(), current.userId(), current.scopes(),
                current.authentication(), current.sessionId(), current.resources(), now,
                min(now.plus(Duration.ofDays(30)), current.familyExpiresAt()), current.familyExpiresAt(),
                current.claimsRequest());
    }

    public static LoginSession session(TokenHash hash, String sid, Instant now, Duration ttl) {
        return new LoginSession(hash, sid, "user-1", authentication(now), now, now.plus(ttl),
                "Xq3-request-fingerprint-0123456789abcdefghijk");
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
