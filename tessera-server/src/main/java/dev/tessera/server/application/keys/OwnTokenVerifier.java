package dev.tessera.server.application.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.application.port.KeyRingSource;

import java.text.ParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies JWTs that this server issued: signed by a published key of the ring (found by kid), with an
 * algorithm from the allow-list, the expected {@code typ} and our {@code iss}. {@code none} and HMAC
 * never verify, since no key of the ring is symmetric and the algorithm must match the key's.
 * Time checks are left to the caller, because an expired id_token_hint is still a valid hint.
 */
public final class OwnTokenVerifier {
    private static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);

    private final KeyRingSource keys;
    private final String issuer;

    public OwnTokenVerifier(KeyRingSource keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    /** The claims when signature, algorithm, typ and issuer all check out; empty otherwise. */
    public Optional<JWTClaimsSet> verify(String token, JOSEObjectType expectedTyp) {
        if (token == null || token.isEmpty() || token.length() > 16_384) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader header = jwt.getHeader();
            if (!ALLOWED.contains(header.getAlgorithm()) || header.getKeyID() == null
                    || !expectedTyp.equals(header.getType())) {
                return Optional.empty();
            }
            Optional<SigningKey> key = keys.forVerifying(header.getKeyID()).byKid(header.getKeyID());
            if (key.isEmpty() || !key.get().algorithm().equals(header.getAlgorithm())
                    || !jwt.verify(verifierFor(key.get().publicJwk()))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return issuer.equals(claims.getIssuer()) ? Optional.of(claims) : Optional.empty();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private static JWSVerifier verifierFor(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSASSAVerifier(rsa);
        }
        if (key instanceof ECKey ec) {
            return new ECDSAVerifier(ec);
        }
        throw new JOSEException("unsupported key type " + key.getKeyType());
    }
}
