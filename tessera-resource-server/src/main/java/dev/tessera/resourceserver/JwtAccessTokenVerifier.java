package dev.tessera.resourceserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.Closeable;
import java.io.IOException;
import java.security.Key;
import java.text.ParseException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Verifies RFC 9068 JWT access tokens offline against the cached JWKS. The algorithm and the
 * {@code typ} are checked before any key is looked up, so a forged header never triggers a JWKS fetch.
 */
final class JwtAccessTokenVerifier implements AccessTokenVerifier {
    private static final Set<String> ACCESS_TOKEN_TYPES = Set.of("at+jwt", "application/at+jwt");
    private static final DefaultJWSVerifierFactory VERIFIER_FACTORY = new DefaultJWSVerifierFactory();

    private final Set<JWSAlgorithm> allowedAlgorithms;
    private final JWKSource<SecurityContext> keys;
    private final AccessTokenClaimsCheck claimsCheck;
    /**
     * One ready verifier per JWK instance of the cached key set. Converting a JWK to a Java key and building
     * a verifier costs more than the claim checks together, so it is done once per key, not per token; a
     * refreshed key set brings new JWK instances and thereby new verifiers.
     */
    private final Map<JWK, JWSVerifier> verifiers = Collections.synchronizedMap(new WeakHashMap<>());

    JwtAccessTokenVerifier(Set<JWSAlgorithm> allowedAlgorithms, JWKSource<SecurityContext> keys, AccessTokenClaimsCheck claimsCheck) {
        this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        this.keys = keys;
        this.claimsCheck = claimsCheck;
    }

    @Override
    public VerifiedToken verify(String token) throws TokenValidationException {
        SignedJWT jwt = parse(token);
        JWSHeader header = jwt.getHeader();
        if (!allowedAlgorithms.contains(header.getAlgorithm())) {
            throw TokenValidationException.invalidToken("the access token is signed with an algorithm that is not accepted");
        }
        JOSEObjectType type = header.getType();
        if (type == null || !ACCESS_TOKEN_TYPES.contains(type.getType().toLowerCase(Locale.ROOT))) {
            throw TokenValidationException.invalidToken("the token is not an access token (typ must be at+jwt)"); // RFC 9068 §4 step 1
        }
        JWTClaimsSet claims;
        try {
            List<JWK> candidates = keys.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
            if (candidates.isEmpty()) {
                throw TokenValidationException.invalidToken("the access token is signed with an unknown key");
            }
            if (!verifiedByAny(jwt, candidates)) {
                throw TokenValidationException.invalidToken("the access token signature is invalid"); // RFC 9068 §4 step 5
            }
            claims = jwt.getJWTClaimsSet();
        } catch (RateLimitReachedException unknownKeyWhileThrottled) {
            throw TokenValidationException.invalidToken("the access token is signed with an unknown key");
        } catch (KeySourceException keysUnreachable) {
            throw TokenValidationException.unavailable("the signing keys could not be loaded", keysUnreachable);
        } catch (ParseException | JOSEException badSignatureOrClaims) {
            throw TokenValidationException.invalidToken("the access token signature is invalid");
        }
        return claimsCheck.check(claims);
    }

    private boolean verifiedByAny(SignedJWT jwt, List<JWK> candidates) throws JOSEException {
        for (JWK key : candidates) {
            JWSVerifier verifier = verifiers.get(key);
            if (verifier == null) {
                verifier = VERIFIER_FACTORY.createJWSVerifier(jwt.getHeader(), toJavaKey(key));
                verifiers.put(key, verifier);
            }
            if (verifier.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm()) && jwt.verify(verifier)) {
                return true;
            }
        }
        return false;
    }

    // Only public asymmetric keys can be matched here: JWKMatcher.forJWSHeader never selects an oct key for RS/PS/ES.
    private static Key toJavaKey(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return rsa.toRSAPublicKey();
        }
        if (key instanceof ECKey ec) {
            return ec.toECPublicKey();
        }
        throw new JOSEException("unsupported key type " + key.getKeyType());
    }

    private static SignedJWT parse(String token) throws TokenValidationException {
        try {
            return SignedJWT.parse(token); // rejects alg "none" and JWE: neither is a JWS
        } catch (ParseException | RuntimeException malformed) {
            throw TokenValidationException.invalidToken("the access token is malformed");
        }
    }

    @Override
    public void close() {
        if (keys instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // only executors are shut down here; nothing to recover
            }
        }
    }
}
