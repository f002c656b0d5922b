package dev.tessera.resourceserver;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Checks the claims shared by JWT access tokens and introspection answers and turns them into a
 * {@link VerifiedToken}. Runs only after the signature (or the introspection call) succeeded.
 */
final class AccessTokenClaimsCheck {
    private final String expectedIssuer;
    private final boolean issuerClaimRequired;
    private final Set<String> acceptedAudiences;
    private final Duration clockSkew;
    private final Clock clock;

    AccessTokenClaimsCheck(String expectedIssuer, boolean issuerClaimRequired, Set<String> acceptedAudiences,
            Duration clockSkew, Clock clock) {
        this.expectedIssuer = expectedIssuer;
        this.issuerClaimRequired = issuerClaimRequired;
        this.acceptedAudiences = Set.copyOf(acceptedAudiences);
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    VerifiedToken check(JWTClaimsSet claims) throws TokenValidationException {
        try {
            return checkParsed(claims);
        } catch (ParseException wrongClaimType) {
            throw TokenValidationException.invalidToken("the access token has a claim of the wrong type");
        }
    }

    private VerifiedToken checkParsed(JWTClaimsSet claims) throws ParseException, TokenValidationException {
        String issuer = claims.getStringClaim("iss");
        if (issuer == null && issuerClaimRequired) {
            throw TokenValidationException.invalidToken("the access token has no issuer");
        }
        if (issuer != null && expectedIssuer != null && !issuer.equals(expectedIssuer)) {
            throw TokenValidationException.invalidToken("the access token was issued by another issuer"); // RFC 9068 §4 step 3
        }
        Set<String> audience = new LinkedHashSet<>(claims.getAudience());
        if (audience.stream().noneMatch(acceptedAudiences::contains)) {
            throw TokenValidationException.invalidToken("the access token is meant for another audience"); // RFC 9068 §4 step 4
        }
        Instant now = clock.instant();
        Instant expiresAt = instant(claims.getDateClaim("exp"));
        if (expiresAt == null) {
            throw TokenValidationException.invalidToken("the access token has no expiry");
        }
        if (!now.isBefore(expiresAt.plus(clockSkew))) {
            throw TokenValidationException.invalidToken("the access token has expired"); // RFC 9068 §4 step 7, RFC 7519 §4.1.4
        }
        Instant notBefore = instant(claims.getDateClaim("nbf"));
        if (notBefore != null && notBefore.isAfter(now.plus(clockSkew))) {
            throw TokenValidationException.invalidToken("the access token is not valid yet"); // RFC 7519 §4.1.5
        }
        Instant issuedAt = instant(claims.getDateClaim("iat"));
        if (issuedAt != null && issuedAt.isAfter(now.plus(clockSkew))) {
            throw TokenValidationException.invalidToken("the access token was issued in the future");
        }
        String subject = claims.getStringClaim("sub");
        String clientId = claims.getStringClaim("client_id");
        if (subject == null || subject.isBlank() || clientId == null || clientId.isBlank()) {
            throw TokenValidationException.invalidToken("the access token lacks sub or client_id"); // RFC 9068 §2.2
        }
        return new VerifiedToken(subject, clientId, scopes(claims.getStringClaim("scope")), audience,
                issuer, expiresAt, claims.getStringClaim("jti"), claims.toJSONObject());
    }

    /** RFC 6749 §3.3: scope is a space-delimited list. */
    private static Set<String> scopes(String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return Set.copyOf(Arrays.asList(scope.trim().split(" +")));
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
