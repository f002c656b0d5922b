package dev.tessera.server.application.token;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.application.issue.AccessTokenFactory;
import dev.tessera.server.application.keys.OwnTokenVerifier;
import dev.tessera.server.application.port.AccessTokenStore;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.token.TokenHash;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * Decides whether an access token this server issued is live: a JWT with our signature, issuer and
 * {@code typ}, or an opaque token found by hash; in both cases unexpired and not revoked (directly or
 * through its grant). Shared by userinfo, introspection and revocation so they never disagree.
 */
public final class AccessTokenValidator {
    private final OwnTokenVerifier ownTokens;
    private final AccessTokenStore accessTokens;
    private final Clock clock;

    public AccessTokenValidator(OwnTokenVerifier ownTokens, AccessTokenStore accessTokens, Clock clock) {
        this.ownTokens = ownTokens;
        this.accessTokens = accessTokens;
        this.clock = clock;
    }

    /** A live access token's claims, whatever its format. */
    public record LiveAccessToken(JWTClaimsSet claims, boolean opaque) {
        public String jti() {
            return claims.getJWTID();
        }

        public String clientId() {
            return stringClaim("client_id");
        }

        public String stringClaim(String name) {
            try {
                return claims.getStringClaim(name);
            } catch (ParseException e) {
                return null;
            }
        }
    }

    /**
     * The local user id behind a token: its store record keeps it, while the {@code sub} claim is what the client
     * sees (pairwise for a pairwise client). Tokens without a record (client_credentials JWTs, older tokens) carry
     * the local value in {@code sub}.
     */
    public String localSubject(LiveAccessToken token) {
        return localSubject(token, accessTokens.find(token.jti()));
    }

    /** {@link #localSubject(LiveAccessToken)} for a caller that has read the token's store record already. */
    public static String localSubject(LiveAccessToken token, Optional<AccessTokenStore.IssuedAccessToken> record) {
        return record.map(AccessTokenStore.IssuedAccessToken::subject)
                .filter(subject -> !subject.isEmpty()).orElse(token.claims().getSubject());
    }

    public Optional<LiveAccessToken> validate(String token) {
        return identify(token).filter(this::isLive);
    }

    /** The token's claims if it is one of ours, even when expired or revoked (revocation needs the jti). */
    public Optional<LiveAccessToken> identify(String token) {
        return token != null && token.startsWith(OpaqueToken.ACCESS_PREFIX)
                ? opaque(token)
                : ownTokens.verify(token, AccessTokenFactory.AT_JWT).map(claims -> new LiveAccessToken(claims, false));
    }

    private Optional<LiveAccessToken> opaque(String token) {
        if (token.length() > PresentedTokens.MAX_OPAQUE_LENGTH) {
            return Optional.empty();
        }
        return accessTokens.findByOpaqueHash(TokenHash.of(token)).flatMap(issued -> {
            try {
                return Optional.of(new LiveAccessToken(JWTClaimsSet.parse(issued.opaqueClaims()), true));
            } catch (ParseException | NullPointerException e) {
                return Optional.empty();
            }
        });
    }

    private boolean isLive(LiveAccessToken token) {
        Instant now = clock.instant();
        Date expiry = token.claims().getExpirationTime();
        Date notBefore = token.claims().getNotBeforeTime();
        if (expiry == null || !expiry.toInstant().isAfter(now)) {
            return false;
        }
        if (notBefore != null && notBefore.toInstant().isAfter(now)) {
            return false;
        }
        return token.jti() != null && !accessTokens.isRevoked(token.jti());
    }
}
