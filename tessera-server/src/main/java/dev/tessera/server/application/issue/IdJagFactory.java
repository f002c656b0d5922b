package dev.tessera.server.application.issue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.keys.JwtSigner;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.client.IdJagPolicy;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints Identity Assertion JWT Authorization Grants (draft-ietf-oauth-identity-assertion-authz-grant §3):
 * a short-lived, single-audience assertion that the resource authorization server redeems with the
 * jwt-bearer grant. Its own {@code typ} keeps it from being mistaken for an ID token or an access token.
 */
public final class IdJagFactory {
    public static final JOSEObjectType ID_JAG_JWT = new JOSEObjectType("oauth-id-jag+jwt");

    private final JwtSigner signer;
    private final ServerSettings settings;
    private final Clock clock;

    public IdJagFactory(JwtSigner signer, ServerSettings settings, Clock clock) {
        this.signer = signer;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param subject        the sub the policy's SSO client knows the user by
     * @param scopes         the resource AS's scopes to assert; empty leaves the claim out
     * @param resources      RFC 8707 resources; empty leaves the claim out
     * @param authentication the sign-in behind the subject token; null leaves auth_time, acr and amr out
     */
    public IssuedIdJag create(IdJagPolicy policy, User user, String subject, Scopes scopes, List<String> resources,
                              AuthenticationEvent authentication) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(settings.idJagTtl());
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(subject)
                .claim("aud", policy.audience()) // one string: exactly one audience
                .claim("client_id", policy.clientId())
                .jwtID(jti)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt));
        if (resources.size() == 1) {
            claims.claim("resource", resources.get(0));
        } else if (!resources.isEmpty()) {
            claims.claim("resource", resources);
        }
        if (!scopes.isEmpty()) {
            claims.claim("scope", scopes.asString());
        }
        if (authentication != null) {
            claims.claim("auth_time", authentication.authTime().getEpochSecond());
            if (authentication.acr() != null) {
                claims.claim("acr", authentication.acr());
            }
            if (!authentication.amr().isEmpty()) {
                claims.claim("amr", authentication.amr());
            }
        }
        // Only an address the user proved may identify them to another company's server.
        if (policy.email() && user.claims().get("email") instanceof String email
                && Boolean.TRUE.equals(user.claims().get("email_verified"))) {
            claims.claim("email", email).claim("email_verified", true);
        }
        String value = signer.signCompact(JWSAlgorithm.RS256, ID_JAG_JWT, claims.build());
        return new IssuedIdJag(value, jti, subject, Duration.between(now, expiresAt).toSeconds());
    }

    /** A minted ID-JAG; {@link #toString()} never shows the value. */
    public record IssuedIdJag(String value, String jti, String subject, long expiresIn) {
        @Override
        public String toString() {
            return "IssuedIdJag[" + jti + "]";
        }
    }
}
