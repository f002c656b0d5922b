package dev.tessera.resourceserver.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** Mints access tokens the way Tessera does (RFC 9068), with hooks to break them. */
public final class TokenMint {
    public static final String AUDIENCE = "https://api.example";

    private TokenMint() {
    }

    public static RSAKey rsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate(); // 2048 keeps the tests fast
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ecKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a fresh token: valid for five minutes from {@code now}. */
    public static JWTClaimsSet.Builder claims(String issuer, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("user-42")
                .audience(List.of(AUDIENCE))
                .claim("client_id", "web-app")
                .claim("scope", "orders:read profile")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID("jti-1");
    }

    /** An RSA key published for PS256 only (its JWK names the algorithm), as Tessera publishes a PS256 key. */
    public static RSAKey ps256Key(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.PS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key's own {@code alg} when its JWK names one, else ES256 for EC and RS256 for RSA keys. */
    public static JWSHeader.Builder accessTokenHeader(JWK key) {
        JWSAlgorithm alg = key.getAlgorithm() != null ? JWSAlgorithm.parse(key.getAlgorithm().getName())
                : key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
        return new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(new JOSEObjectType("at+jwt"));
    }

    public static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String accessToken(JWK key, String issuer, Instant now) {
        return accessToken(key, issuer, now, UnaryOperator.identity());
    }

    public static String accessToken(JWK key, String issuer, Instant now, UnaryOperator<JWTClaimsSet.Builder> changes) {
        return sign(key, accessTokenHeader(key).build(), changes.apply(claims(issuer, now)).build());
    }
}
