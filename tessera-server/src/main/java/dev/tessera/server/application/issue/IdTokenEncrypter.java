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
import dev.tessera.server.domain.client.IdTokenEncryption;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;

import java.util.Optional;

/**
 * Nested JWT for clients that registered ID token encryption (OIDC Core §10.2): the signed ID token
 * becomes the payload of a JWE ({@code cty: JWT}) encrypted to the client's public key.
 */
public final class IdTokenEncrypter {
    private final ClientKeySource clientKeys;

    public IdTokenEncrypter(ClientKeySource clientKeys) {
        this.clientKeys = clientKeys;
    }

    public String encrypt(IdTokenEncryption encryption, SignedJWT signed) {
        JWEAlgorithm alg = JWEAlgorithm.parse(encryption.alg());
        EncryptionMethod enc = EncryptionMethod.parse(encryption.enc());
        JWK key;
        try {
            key = encryptionKey(alg, encryption).orElseThrow(() -> new OAuthException(OAuthError.INVALID_CLIENT,
                    "the client's JWKS has no key for " + alg.getName() + " ID token encryption"));
        } catch (ClientKeySource.KeysUnavailableException e) {
            throw new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE,
                    "the client's keys for ID token encryption could not be fetched; try again later",
                    e.getMessage() + " from " + encryption.jwksUri() + ": " + rootCause(e));
        }
        JWEHeader header = new JWEHeader.Builder(alg, enc).contentType("JWT").keyID(key.getKeyID()).build();
        JWEObject jwe = new JWEObject(header, new Payload(signed));
        try {
            jwe.encrypt(encrypterFor(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("ID token encryption failed", e);
        }
        return jwe.serialize();
    }

    // An encryption key of the right type; use=enc or unspecified, never a signing-only key.
    private Optional<JWK> encryptionKey(JWEAlgorithm alg, IdTokenEncryption encryption) {
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
