package dev.tessera.server.application.issue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.application.port.ClientKeySource;
import dev.tessera.server.domain.client.ResponseEncryption;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;

import java.util.Optional;

/**
 * Nested JWT for clients that registered ID token or userinfo encryption (OIDC Core §10.2, §5.3.2): the
 * signed JWT becomes the payload of a JWE ({@code cty: JWT}) encrypted to the client's public key. When the
 * client's keys cannot be fetched the answer is temporarily_unavailable, never the plaintext.
 */
public final class ResponseEncrypter {
    private final ClientKeySource clientKeys;

    public ResponseEncrypter(ClientKeySource clientKeys) {
        this.clientKeys = clientKeys;
    }

    /** @param purpose what is encrypted, for error descriptions: "ID token" or "userinfo" */
    public String encrypt(ResponseEncryption encryption, SignedJWT signed, String purpose) {
        JWEAlgorithm alg = JWEAlgorithm.parse(encryption.alg());
        EncryptionMethod enc = EncryptionMethod.parse(encryption.enc());
        JWK key;
        try {
            key = encryptionKey(alg, encryption).orElseThrow(() -> new OAuthException(OAuthError.INVALID_CLIENT,
                    "the client's JWKS has no key for " + alg.getName() + " " + purpose + " encryption"));
        } catch (ClientKeySource.KeysUnavailableException e) {
            throw new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE,
                    "the client's keys for " + purpose + " encryption could not be fetched; try again later",
                    e.getMessage() + " from " + encryption.jwksUri() + ": " + rootCause(e));
        }
        JWEHeader header = new JWEHeader.Builder(alg, enc).contentType("JWT").keyID(key.getKeyID()).build();
        JWEObject jwe = new JWEObject(header, new Payload(signed));
        try {
            jwe.encrypt(encrypterFor(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(purpose + " encryption failed", e);
        }
        return jwe.serialize();
    }

    // An encryption key of the right type; use=enc or unspecified, never a signing-only key.
    private Optional<JWK> encryptionKey(JWEAlgorithm alg, ResponseEncryption encryption) {
        boolean rsa = JWEAlgorithm.Family.RSA.contains(alg);
        return clientKeys.keys(encryption.jwksUri()).stream()
                .filter(k -> k.getKeyUse() == null || KeyUse.ENCRYPTION.equals(k.getKeyUse()))
                .filter(k -> k.getAlgorithm() == null || k.getAlgorithm().equals(alg))
                .filter(k -> rsa ? k instanceof RSAKey : k instanceof ECKey)
                .findFirst();
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e ? "no cause given" : cause.toString();
    }

    private static JWEEncrypter encrypterFor(JWK key) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            return new RSAEncrypter(rsa.toRSAPublicKey());
        }
        return new ECDHEncrypter(((ECKey) key).toECPublicKey());
    }
}
