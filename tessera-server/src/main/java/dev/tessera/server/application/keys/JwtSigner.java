package dev.tessera.server.application.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.application.port.KeyRingSource;

import java.security.Provider;
import java.time.Clock;

/** Placeholder until the key ring branch lands. */
public final class JwtSigner {
    private final KeyRingSource keys;
    private final Clock clock;

    public JwtSigner(KeyRingSource keys, Provider provider, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public SignedJWT sign(JWSAlgorithm alg, JOSEObjectType typ, JWTClaimsSet claims) {
        SigningKey key = keys.current().active(alg, clock.instant())
                .orElseThrow(() -> new IllegalStateException("no active key for " + alg));
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.kid()).type(typ).build(), claims);
            jwt.sign(new RSASSASigner(key.privateJwk().toRSAKey()));
            return jwt;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
