package dev.tessera.server.application.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import java.util.List;

/**
 * Checks a JWS from another party (a trusted issuer's assertion, a client's private_key_jwt) against the public
 * keys it publishes. Only RSA and EC keys verify, and only with an algorithm of their family, so a published
 * key can never be used as an HMAC secret (RFC 8725 §3.1). The caller restricts the algorithm first.
 */
public final class PublicKeySignature {
    private PublicKeySignature() {
    }

    /** True when one of {@code keys} verifies the signature with the header's algorithm. */
    public static boolean verifiesWithAny(SignedJWT jwt, List<JWK> keys) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        for (JWK key : keys) {
            if (verifies(jwt, alg, key)) {
                return true;
            }
        }
        return false;
    }

    private static boolean verifies(SignedJWT jwt, JWSAlgorithm alg, JWK key) {
        try {
            JWSVerifier verifier;
            if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
                verifier = new RSASSAVerifier(rsa);
            } else if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(alg)) {
                verifier = new ECDSAVerifier(ec); // rejects a curve that does not match alg
            } else {
                return false;
            }
            // A key that declares its algorithm may only be used with it (RFC 7517 §4.4).
            if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
                return false;
            }
            return jwt.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }
}
