package dev.tessera.server.application.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Set;

/**
 * One key of the ring: the private JWK (kid = RFC 7638 thumbprint), the algorithm it signs with, and the
 * instant from which it may sign. Before that it is only published, so verifiers learn it first.
 */
public record SigningKey(String kid, JWSAlgorithm algorithm, JWK privateJwk, Instant activatesAt) {
    /** The only algorithms Tessera signs with (SPEC §7); never {@code none} or HMAC. */
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    public static final int MIN_RSA_BITS = 2048;

    /**
     * Builds the JWK (use=sig, alg, kid = RFC 7638 SHA-256 thumbprint) for a key pair, refusing a key that
     * does not fit the algorithm: RSA of at least 2048 bits for RS256/PS256, EC P-256 for ES256.
     *
     * @throws IllegalArgumentException with a message naming the problem, never the key material
     */
    public static SigningKey fromKeyPair(KeyPair pair, JWSAlgorithm algorithm, Instant activatesAt) {
        if (!SUPPORTED_ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("unsupported signing algorithm " + algorithm + ": use RS256, PS256 or ES256");
        }
        try {
            JWK jwk;
            if (pair.getPublic() instanceof RSAPublicKey rsa && pair.getPrivate() instanceof RSAPrivateKey rsaPrivate) {
                if (!JWSAlgorithm.Family.RSA.contains(algorithm)) {
                    throw new IllegalArgumentException("an RSA key cannot sign " + algorithm + ": use RS256 or PS256");
                }
                int bits = rsa.getModulus().bitLength();
                if (bits < MIN_RSA_BITS) { // RFC 7518 §3.3: 2048 bits or larger MUST be used
                    throw new IllegalArgumentException("RSA key has " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
                }
                jwk = new RSAKey.Builder(rsa).privateKey(rsaPrivate).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
                        .keyIDFromThumbprint().build();
            } else if (pair.getPublic() instanceof ECPublicKey ec && pair.getPrivate() instanceof ECPrivateKey ecPrivate) {
                if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                    throw new IllegalArgumentException("only EC keys on curve P-256 (ES256) are supported");
                }
                if (!JWSAlgorithm.ES256.equals(algorithm)) {
                    throw new IllegalArgumentException("an EC P-256 key cannot sign " + algorithm + ": use ES256");
                }
                jwk = new ECKey.Builder(Curve.P_256, ec).privateKey(ecPrivate).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
                        .keyIDFromThumbprint().build();
            } else {
                throw new IllegalArgumentException("unsupported key type " + pair.getPublic().getAlgorithm() + ": use RSA or EC P-256");
            }
            return new SigningKey(jwk.getKeyID(), algorithm, jwk, activatesAt);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot compute the RFC 7638 thumbprint of the key", e);
        }
    }

    public JWK publicJwk() {
        return privateJwk.toPublicJWK();
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid + ", " + algorithm + ", activates " + activatesAt + "]";
    }
}
