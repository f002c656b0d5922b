package dev.tessera.server.application.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.application.port.KeyRingSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs JWTs with the key ring's active key for an algorithm (header alg, kid, typ). This is the hot path of
 * token issuance, so each kid gets one {@link JWSSigner} whose private key was converted once into the
 * signing provider's own key class; a signer never parses a key per call. Nimbus signers create a fresh
 * {@link Signature} per call, so sharing them across threads is safe.
 */
public final class JwtSigner {
    private static final Logger log = LoggerFactory.getLogger(JwtSigner.class);

    private final KeyRingSource keys;
    private final Provider provider;
    private final Clock clock;
    private final Map<String, JWSSigner> signersByKid = new ConcurrentHashMap<>();

    /**
     * @param provider the JCA provider that signs (e.g. Amazon Corretto Crypto Provider), or null for the JVM's
     *                 provider order; an algorithm the provider lacks falls back to that order
     */
    public JwtSigner(KeyRingSource keys, Provider provider, Clock clock) {
        this.keys = keys;
        this.provider = provider;
        this.clock = clock;
    }

    /** @throws IllegalStateException when the ring has no key for {@code alg} whose activation time has passed */
    public SignedJWT sign(JWSAlgorithm alg, JOSEObjectType typ, JWTClaimsSet claims) {
        SigningKey key = keys.current().active(alg, clock.instant())
                .orElseThrow(() -> new IllegalStateException("no active " + alg + " signing key in the key ring;"
                        + " add one with `tessera keys generate --alg " + alg + "`"));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.kid()).type(typ).build(), claims);
        try {
            jwt.sign(signerFor(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with key " + key.kid() + " failed", e);
        }
        return jwt;
    }

    /** The compact serialization of {@link #sign}. */
    public String signCompact(JWSAlgorithm alg, JOSEObjectType typ, JWTClaimsSet claims) {
        return sign(alg, typ, claims).serialize();
    }

    /** The name of the JCA provider that computes {@code alg} signatures, for the startup log and tests. */
    public String providerName(JWSAlgorithm alg) {
        String jcaName = JWSAlgorithm.Family.EC.contains(alg) ? "SHA256withECDSA"
                : JWSAlgorithm.PS256.equals(alg) ? "RSASSA-PSS" : "SHA256withRSA";
        try {
            Provider usable = providerFor(jcaName);
            return (usable != null ? Signature.getInstance(jcaName, usable) : Signature.getInstance(jcaName)).getProvider().getName();
        } catch (GeneralSecurityException e) {
            return "none (" + jcaName + " unavailable)";
        }
    }

    private JWSSigner signerFor(SigningKey key) {
        return signersByKid.computeIfAbsent(key.kid(), kid -> newSigner(key));
    }

    private JWSSigner newSigner(SigningKey key) {
        try {
            JWSSigner signer;
            Provider signing;
            if (key.privateJwk() instanceof RSAKey rsa) {
                signing = providerFor(JWSAlgorithm.PS256.equals(key.algorithm()) ? "RSASSA-PSS" : "SHA256withRSA");
                signer = new RSASSASigner(nativeKey(rsa.toPrivateKey(), "RSA", signing));
            } else if (key.privateJwk() instanceof ECKey ec) {
                signing = providerFor("SHA256withECDSA");
                signer = new ECDSASigner(nativeKey(ec.toPrivateKey(), "EC", signing), Curve.P_256);
            } else {
                throw new IllegalStateException("key " + key.kid() + " is neither RSA nor EC");
            }
            signer.getJCAContext().setProvider(signing);
            return signer;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot build a signer for key " + key.kid(), e);
        }
    }

    /** The configured provider when it implements {@code jcaSignature}, else null (the JVM's provider order). */
    private Provider providerFor(String jcaSignature) {
        if (provider != null && provider.getService("Signature", jcaSignature) != null) {
            return provider;
        }
        return null;
    }

    /**
     * Converts the key once into the signing provider's key class; a foreign key object would otherwise be
     * converted on every signature, which costs much of the native provider's speed.
     */
    private static PrivateKey nativeKey(PrivateKey key, String algorithm, Provider signing) {
        if (signing == null) {
            return key;
        }
        try {
            return (PrivateKey) KeyFactory.getInstance(algorithm, signing).translateKey(key);
        } catch (GeneralSecurityException | ClassCastException e) {
            log.debug("keeping the {} key object as is: {} cannot translate it ({})", algorithm, signing.getName(), e.getClass().getSimpleName());
            return key;
        }
    }
}
