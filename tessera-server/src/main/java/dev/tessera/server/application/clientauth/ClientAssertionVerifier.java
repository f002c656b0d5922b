package dev.tessera.server.application.clientauth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.application.keys.PublicKeySignature;
import dev.tessera.server.application.port.PublishedKeys;
import dev.tessera.server.application.port.UsedJtiStore;
import dev.tessera.server.domain.client.Client;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * private_key_jwt (OIDC Core §9, RFC 7523 §2.2 and §3): a JWT the client signed with its own key stands in for a
 * secret. Checked in two steps so the first needs no client: {@link #parse} takes what any well-formed assertion
 * must satisfy (type, algorithm, iss = sub, audience, times, jti), {@link #verify} the signature against the keys
 * the named client registered, then marks the jti used across every instance.
 *
 * <p>Hazards: an assertion is a bearer credential for as long as it lives, so its lifetime is capped at
 * {@link #MAX_LIFETIME} and each jti is good once. Its audience must be this server alone (the rfc7523bis fix:
 * an assertion whose aud also names another server could be replayed there or here). Only RS256, PS256 and
 * ES256 verify, with RSA or EC keys, so a published public key can never serve as an HMAC secret.
 */
public final class ClientAssertionVerifier {
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static final List<String> ALGORITHMS = List.of("RS256", "PS256", "ES256");
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    // rfc7523bis §4: the explicit type; plain "JWT" and none at all are what clients send today.
    private static final Set<JOSEObjectType> TYPES = Set.of(JOSEObjectType.JWT,
            new JOSEObjectType("client-authentication+jwt"));
    private static final int MAX_ASSERTION_LENGTH = 16_384;
    private static final int MAX_JTI_LENGTH = 255; // the used-jti store's column
    /** Shared with an unknown client id, so this answer does not tell which client ids exist. */
    static final String SIGNATURE_FAILED =
            "client authentication failed: the client assertion does not verify with the client's registered keys";

    private final PublishedKeys publishedKeys;
    private final UsedJtiStore usedJtis;
    private final String issuer;
    private final String tokenEndpoint;
    private final Clock clock;

    public ClientAssertionVerifier(PublishedKeys publishedKeys, UsedJtiStore usedJtis, String issuer,
                                   String tokenEndpoint, Clock clock) {
        this.publishedKeys = publishedKeys;
        this.usedJtis = usedJtis;
        this.issuer = issuer;
        this.tokenEndpoint = tokenEndpoint;
        this.clock = clock;
    }

    /** A well-formed assertion whose signature is not checked yet; {@link #clientId()} says whose keys to use. */
    record Parsed(SignedJWT jwt, JWTClaimsSet claims) {
        String clientId() {
            return claims.getSubject();
        }

        @Override
        public String toString() {
            return "Parsed[" + clientId() + "]";
        }
    }

    /** Why an assertion was refused: {@code reason} for logs and metrics, {@code description} for the client. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;
        private final boolean countsAgainstClient;

        Rejected(String reason, String description, boolean countsAgainstClient) {
            super(description, null, false, false);
            this.reason = reason;
            this.countsAgainstClient = countsAgainstClient;
        }

        String reason() {
            return reason;
        }

        /** A failure only the holder of a wrong or stolen key produces, counted by the client-auth throttle. */
        boolean countsAgainstClient() {
            return countsAgainstClient;
        }
    }

    Parsed parse(String type, String assertion) {
        // RFC 7521 §4.2: both parameters, and the one type this server knows.
        if (!JWT_BEARER.equals(type)) {
            throw rejected("assertion_type", "client_assertion_type must be " + JWT_BEARER);
        }
        if (assertion == null || assertion.isEmpty()) {
            throw rejected("assertion_missing", "client_assertion is required with client_assertion_type");
        }
        SignedJWT jwt = signedJwt(assertion);
        if (!ALLOWED.contains(jwt.getHeader().getAlgorithm())) {
            throw rejected("assertion_alg", "the client assertion must be signed with RS256, PS256 or ES256");
        }
        JOSEObjectType typ = jwt.getHeader().getType();
        if (typ != null && !TYPES.contains(typ)) {
            throw rejected("assertion_typ", "the client assertion's typ must be client-authentication+jwt or JWT");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw rejected("assertion_malformed", "the client assertion's claims are not a JSON object");
        }
        checkClaims(claims);
        return new Parsed(jwt, claims);
    }

    /** The signature against {@code client}'s keys, then single use of the jti. */
    void verify(Parsed parsed, Client client) {
        List<JWK> keys = keysOf(client, parsed.jwt().getHeader().getKeyID());
        if (!PublicKeySignature.verifiesWithAny(parsed.jwt(), keys)) {
            throw new Rejected("bad_signature", SIGNATURE_FAILED, true);
        }
        // RFC 7523 §3 item 7; kept until the assertion could no longer pass the time checks. Keyed apart from the
        // trusted issuers' jtis, which share the store.
        Instant keepUntil = parsed.claims().getExpirationTime().toInstant().plus(CLOCK_SKEW);
        if (!usedJtis.markUsed("client_assertion:" + client.id(), parsed.claims().getJWTID(), keepUntil)) {
            throw new Rejected("assertion_replayed",
                    "the client assertion was already used; sign a new one with a fresh jti", true);
        }
    }

    private static SignedJWT signedJwt(String assertion) {
        if (assertion.length() > MAX_ASSERTION_LENGTH) {
            throw rejected("assertion_malformed", "the client assertion is not a JWT of acceptable size");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(assertion);
        } catch (ParseException e) {
            throw rejected("assertion_malformed", "the client assertion is not a JWT");
        }
        if (jwt instanceof EncryptedJWT) {
            throw rejected("assertion_malformed", "the client assertion must be a signed JWT, not an encrypted one");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw rejected("assertion_alg", "the client assertion must be signed; alg none is never accepted");
        }
        return signed;
    }

    private void checkClaims(JWTClaimsSet claims) {
        // OIDC Core §9, RFC 7523 §3 items 1-2: the client is both issuer and subject.
        String iss = claims.getIssuer();
        if (iss == null || iss.isEmpty() || !iss.equals(claims.getSubject())) {
            throw rejected("assertion_claims", "the client assertion's iss and sub must both be the client_id");
        }
        // RFC 7523 §3 item 3 and rfc7523bis: one audience, this server (its issuer, or its token endpoint URL as
        // OIDC Core §9 suggested). A list naming other servers too is refused, since they could replay it here.
        List<String> audience = claims.getAudience();
        if (audience.size() != 1 || !(issuer.equals(audience.get(0)) || tokenEndpoint.equals(audience.get(0)))) {
            throw rejected("assertion_audience", "the client assertion's aud must be this server's issuer ("
                    + issuer + ") and nothing else");
        }
        checkTimes(claims);
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw rejected("assertion_jti", "the client assertion needs a jti (at most 255 characters), new for every request");
        }
    }

    private void checkTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        Date nbf = claims.getNotBeforeTime();
        // RFC 7523 §3 item 4: exp is required.
        if (exp == null) {
            throw rejected("assertion_expired", "the client assertion needs an exp");
        }
        if (!exp.toInstant().plus(CLOCK_SKEW).isAfter(now)) {
            throw rejected("assertion_expired", "the client assertion has expired; sign a new one");
        }
        // A short life bounds replay by whoever sees it; measured from now too, so a backdated iat cannot stretch it.
        Instant start = iat == null ? now : iat.toInstant();
        if (Duration.between(start, exp.toInstant()).compareTo(MAX_LIFETIME) > 0
                || Duration.between(now, exp.toInstant()).compareTo(MAX_LIFETIME.plus(CLOCK_SKEW)) > 0) {
            throw rejected("assertion_lifetime", "the client assertion may live at most "
                    + MAX_LIFETIME.toMinutes() + " minutes (exp - iat)");
        }
        if (iat != null && iat.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            throw rejected("assertion_time", "the client assertion's iat is in the future; check the client's clock");
        }
        if (nbf != null && nbf.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            throw rejected("assertion_time", "the client assertion is not valid yet (nbf)");
        }
    }

    private List<JWK> keysOf(Client client, String kid) {
        if (client.jwks() != null) {
            List<JWK> keys;
            try {
                keys = JWKSet.parse(client.jwks()).toPublicJWKSet().getKeys();
            } catch (ParseException e) {
                throw new Rejected("jwks_invalid", "the client's registered jwks cannot be read; fix its registration", false);
            }
            List<JWK> matching = keys.stream().filter(key -> kid == null || Objects.equals(kid, key.getKeyID())).toList();
            if (matching.isEmpty()) {
                throw new Rejected("unknown_kid", SIGNATURE_FAILED, true);
            }
            return matching;
        }
        if (client.jwksUri() == null) {
            throw new Rejected("no_keys", "this client has no registered keys (jwks or jwks_uri)", false);
        }
        PublishedKeys.Lookup lookup = publishedKeys.find(URI.create(client.jwksUri()), kid);
        if (lookup instanceof PublishedKeys.Lookup.Found found) {
            return found.keys();
        }
        if (lookup instanceof PublishedKeys.Lookup.Unavailable) {
            throw new Rejected("jwks_unavailable",
                    "the client's keys could not be fetched from its jwks_uri; try again later", false);
        }
        throw new Rejected("unknown_kid", SIGNATURE_FAILED, true);
    }

    private static Rejected rejected(String reason, String description) {
        return new Rejected(reason, description, false);
    }
}
