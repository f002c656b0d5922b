package dev.tessera.resourceserver;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.Closeable;
import java.io.IOException;
import java.text.ParseException;
import java.util.Locale;
import java.util.Set;

/**
 * Verifies RFC 9068 JWT access tokens offline against the cached JWKS. The algorithm and the
 * {@code typ} are checked before any key is looked up, so a forged header never triggers a JWKS fetch.
 */
final class JwtAccessTokenVerifier implements AccessTokenVerifier {
    private static final Set<String> ACCESS_TOKEN_TYPES = Set.of("at+jwt", "application/at+jwt");

    private final Set<JWSAlgorithm> allowedAlgorithms;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final AccessTokenClaimsCheck claimsCheck;

    JwtAccessTokenVerifier(Set<JWSAlgorithm> allowedAlgorithms, JWKSource<SecurityContext> keys, AccessTokenClaimsCheck claimsCheck) {
        this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        this.keys = keys;
        this.claimsCheck = claimsCheck;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(this.allowedAlgorithms, keys));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt")));
        processor.setJWTClaimsSetVerifier((claims, context) -> { }); // claims are checked with our Clock below
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
            claims = processor.process(jwt, null);
        } catch (RateLimitReachedException unknownKeyWhileThrottled) {
            throw TokenValidationException.invalidToken("the access token is signed with an unknown key");
        } catch (KeySourceException keysUnreachable) {
            throw TokenValidationException.unavailable("the signing keys could not be loaded", keysUnreachable);
        } catch (BadJOSEException | JOSEException badSignatureOrNoKey) {
            throw TokenValidationException.invalidToken("the access token signature is invalid"); // RFC 9068 §4 step 5
        }
        return claimsCheck.check(claims);
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
