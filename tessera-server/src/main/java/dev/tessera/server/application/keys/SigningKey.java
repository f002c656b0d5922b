package dev.tessera.server.application.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;

import java.time.Instant;

/**
 * One key of the ring: the private JWK (kid = RFC 7638 thumbprint), the algorithm it signs with, and the
 * instant from which it may sign. Before that it is only published, so verifiers learn it first.
 */
public record SigningKey(String kid, JWSAlgorithm algorithm, JWK privateJwk, Instant activatesAt) {
    public JWK publicJwk() {
        return privateJwk.toPublicJWK();
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid + ", " + algorithm + ", activates " + activatesAt + "]";
    }
}
