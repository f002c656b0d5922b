package dev.tessera.server.application.grant;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.application.issue.IdJagFactory;
import dev.tessera.server.application.keys.PublicKeySignature;
import dev.tessera.server.application.port.PublishedKeys;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.trust.TrustedIssuer;
import dev.tessera.server.domain.trust.TrustedIssuers;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies an ID-JAG presented with the jwt-bearer grant (RFC 7523 §3, ID-JAG draft §4.3), each check in SPEC §6
 * order: a trusted issuer that is not us and lets this client present its assertions, a compact JWS with an
 * asymmetric algorithm signed by a key that issuer publishes, {@code typ}, audience, client_id, subject, times,
 * no proof-of-possession binding and a jti. Single use is the grant's job, done last so that a request refused
 * for its own parameters does not burn the assertion. Every failure is invalid_grant.
 */
public final class AssertionVerifier {
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    private static final int MAX_ASSERTION_LENGTH = 16_384;
    // RFC 8725 §3.1: never none, never HMAC (anyone holding a published key could sign).
    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final TrustedIssuers trustedIssuers;
    private final PublishedKeys issuerKeys;
    private final String ownIssuer;
    private final Clock clock;

    public AssertionVerifier(TrustedIssuers trustedIssuers, PublishedKeys issuerKeys, String ownIssuer, Clock clock) {
        this.trustedIssuers = trustedIssuers;
        this.issuerKeys = issuerKeys;
        this.ownIssuer = ownIssuer;
        this.clock = clock;
    }

    /** A verified assertion and the entry that trusted it. */
    public record VerifiedAssertion(TrustedIssuer issuer, JWTClaimsSet claims) {
        public String jti() {
            return claims.getJWTID();
        }

        public Instant expiresAt() {
            return claims.getExpirationTime().toInstant();
        }
    }

    public VerifiedAssertion verify(String assertion, String clientId) {
        SignedJWT jwt = parseSigned(assertion);
        JWTClaimsSet claims = claimsOf(jwt);
        TrustedIssuer issuer = trustedIssuer(claims.getIssuer(), clientId);
        verifySignature(jwt, issuer);
        // ID-JAG draft §3: the explicit type keeps ID tokens and access tokens from being replayed as grants.
        if (!IdJagFactory.ID_JAG_JWT.equals(jwt.getHeader().getType())) {
            throw invalid("the assertion's typ must be oauth-id-jag+jwt");
        }
        checkClaims(claims, issuer, clientId);
        return new VerifiedAssertion(issuer, claims);
    }

    private static SignedJWT parseSigned(String assertion) {
        if (assertion.length() > MAX_ASSERTION_LENGTH) {
            throw invalid("the assertion is not a JWT of acceptable size");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(assertion);
        } catch (ParseException e) {
            throw invalid("the assertion is not a JWT");
        }
        if (jwt instanceof EncryptedJWT) {
            throw invalid("encrypted assertions are not accepted; send the ID-JAG as a compact signed JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw invalid("the assertion must be signed; alg none is never accepted");
        }
        return signed;
    }

    private static JWTClaimsSet claimsOf(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("the assertion is not a JWT: its claims are not a JSON object");
        }
    }

    private TrustedIssuer trustedIssuer(String iss, String clientId) {
        if (ownIssuer.equals(iss)) {
            throw invalid("the assertion was issued by this server; present an ID-JAG from a trusted identity provider");
        }
        TrustedIssuer issuer = trustedIssuers.find(iss).orElseThrow(() -> invalid("the assertion's issuer is not trusted"));
        if (!issuer.allows(clientId)) {
            throw invalid("this client may not present assertions from that issuer");
        }
        return issuer;
    }

    private void verifySignature(SignedJWT jwt, TrustedIssuer issuer) {
        JWSHeader header = jwt.getHeader();
        if (!ALLOWED.contains(header.getAlgorithm())) {
            throw invalid("the assertion's signing algorithm is not accepted");
        }
        PublishedKeys.Lookup lookup = issuerKeys.find(issuer.jwksUri(), header.getKeyID());
        if (lookup instanceof PublishedKeys.Lookup.Unavailable) {
            throw invalid("the issuer's keys could not be fetched; try again later");
        }
        if (!(lookup instanceof PublishedKeys.Lookup.Found found)) {
            throw invalid("the assertion is signed with a key that issuer does not publish");
        }
        if (!PublicKeySignature.verifiesWithAny(jwt, found.keys())) {
            throw invalid("the assertion's signature does not verify");
        }
    }

    private void checkClaims(JWTClaimsSet claims, TrustedIssuer issuer, String clientId) {
        // RFC 7523 §3 item 3: aud identifies this server; one value only, so it cannot be replayed elsewhere.
        List<String> audience = claims.getAudience();
        if (audience.size() != 1 || !ownIssuer.equals(audience.get(0))) {
            throw invalid("the assertion's audience must be this server's issuer, and only it");
        }
        if (!clientId.equals(JwtClaims.optionalString(claims, "client_id"))) {
            throw invalid("the assertion's client_id does not match the authenticated client");
        }
        if (claims.getSubject() == null || claims.getSubject().isEmpty()) {
            throw invalid("the assertion's sub is required");
        }
        checkTimes(claims, issuer);
        // ID-JAG draft: a key-bound assertion needs a proof this server cannot check; never use it as a bearer grant.
        if (claims.getClaim("cnf") != null) {
            throw invalid("the assertion is bound to a key (cnf), which this server cannot verify");
        }
        if (claims.getJWTID() == null || claims.getJWTID().isEmpty()) {
            throw invalid("the assertion's jti is required");
        }
    }

    private void checkTimes(JWTClaimsSet claims, TrustedIssuer issuer) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        Date iat = claims.getIssueTime();
        // RFC 7523 §3 items 4-6, with the clock skew SPEC §6 allows.
        if (exp == null || !exp.toInstant().plus(CLOCK_SKEW).isAfter(now)) {
            throw invalid("the assertion has expired; get a new ID-JAG");
        }
        if (nbf != null && nbf.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            throw invalid("the assertion is not valid yet (nbf)");
        }
        if (iat == null) {
            throw invalid("the assertion's iat is required");
        }
        if (iat.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            throw invalid("the assertion's iat is in the future");
        }
        if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(issuer.maxAssertionLifetime()) > 0) {
            throw invalid("the assertion's lifetime exceeds what this server accepts from that issuer");
        }
    }


    private static OAuthException invalid(String description) {
        return OAuthException.invalidGrant(description);
    }
}
