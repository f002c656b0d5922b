package dev.tessera.server.testsupport;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import java.security.Key;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * An Identity Assertion JWT Authorization Grant built with jose4j, every claim and header settable or removable,
 * so each jwt-bearer check can be failed on its own while everything else stays valid. Build one with
 * {@link PartnerIdp#assertion}; {@link #sign()} signs it with the partner's key unless told otherwise.
 */
public final class IdJagAssertion {
    public static final String TYP = "oauth-id-jag+jwt";

    private final JwtClaims claims = new JwtClaims();
    private Key signingKey;
    private String alg;
    private String kid;
    private String typ = TYP;

    IdJagAssertion(PublicJsonWebKey key) {
        signedBy(key);
    }

    /** A fresh assertion signed by {@code key} with RS256 or ES256 and its kid, with no claims yet. */
    public static IdJagAssertion empty(PublicJsonWebKey key) {
        return new IdJagAssertion(key);
    }

    // --- claims ------------------------------------------------------------------------------------

    public IdJagAssertion issuer(String value) {
        return claim("iss", value);
    }

    public IdJagAssertion subject(String value) {
        return claim("sub", value);
    }

    /** {@code aud} as one JSON string. */
    public IdJagAssertion audience(String value) {
        return claim("aud", value);
    }

    /** {@code aud} as a JSON array, even with one element. */
    public IdJagAssertion audiences(String... values) {
        return claim("aud", List.of(values));
    }

    public IdJagAssertion clientId(String value) {
        return claim("client_id", value);
    }

    public IdJagAssertion jti(String value) {
        return claim("jti", value);
    }

    public IdJagAssertion scope(String value) {
        return claim("scope", value);
    }

    /** {@code resource} as a string for one value and an array for several, as an ID-JAG carries it. */
    public IdJagAssertion resource(String... values) {
        return values.length == 1 ? claim("resource", values[0]) : claim("resource", Arrays.asList(values));
    }

    public IdJagAssertion issuedAt(Instant value) {
        claims.setIssuedAt(NumericDate.fromSeconds(value.getEpochSecond()));
        return this;
    }

    public IdJagAssertion expiresAt(Instant value) {
        claims.setExpirationTime(NumericDate.fromSeconds(value.getEpochSecond()));
        return this;
    }

    public IdJagAssertion notBefore(Instant value) {
        claims.setNotBefore(NumericDate.fromSeconds(value.getEpochSecond()));
        return this;
    }

    /** Any claim, as JSON: strings, numbers, booleans, lists and maps. */
    public IdJagAssertion claim(String name, Object value) {
        claims.setClaim(name, value);
        return this;
    }

    public IdJagAssertion without(String claim) {
        claims.unsetClaim(claim);
        return this;
    }

    /** A new random jti, for an assertion that must not collide with one redeemed before. */
    public IdJagAssertion freshJti() {
        return jti(UUID.randomUUID().toString());
    }

    public String jti() {
        return (String) claims.getClaimValue("jti");
    }

    // --- header and key ----------------------------------------------------------------------------

    /** The header typ; null leaves it out. */
    public IdJagAssertion typ(String value) {
        this.typ = value;
        return this;
    }

    /** The header kid; null leaves it out. */
    public IdJagAssertion kid(String value) {
        this.kid = value;
        return this;
    }

    /** Signs with this key, its algorithm and its kid from now on. */
    public IdJagAssertion signedBy(PublicJsonWebKey key) {
        this.signingKey = key.getPrivateKey();
        this.alg = key instanceof EllipticCurveJsonWebKey ? AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256
                : AlgorithmIdentifiers.RSA_USING_SHA256;
        this.kid = key.getKeyId();
        return this;
    }

    /** Signs with another private key while keeping the header's kid (a forgery that names a trusted key). */
    public IdJagAssertion signingKey(Key key) {
        this.signingKey = key;
        return this;
    }

    /** The JWS alg, e.g. RS384 or PS256 with the RSA key. */
    public IdJagAssertion alg(String value) {
        this.alg = value;
        return this;
    }

    // --- serializations ----------------------------------------------------------------------------

    /** The compact JWS. */
    public String sign() {
        JsonWebSignature jws = jws();
        jws.setAlgorithmHeaderValue(alg);
        jws.setKey(signingKey);
        return serialize(jws);
    }

    /** An unsecured JWT (alg none, empty signature), as an attacker would send it. */
    public String unsecured() {
        JsonWebSignature jws = jws();
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        return serialize(jws);
    }

    /** HS256 with {@code secret}: the classic confusion attack uses a public key's bytes as the secret. */
    public String signedWithHmac(byte[] secret) {
        JsonWebSignature jws = jws();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(secret));
        jws.setDoKeyValidation(false);
        return serialize(jws);
    }

    /** The signed assertion nested in a JWE (RSA-OAEP-256, A256GCM) to {@code recipient}: five parts. */
    public String encryptedTo(PublicKey recipient) {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setPayload(sign());
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        jwe.setContentTypeHeaderValue("JWT");
        jwe.setKey(recipient);
        try {
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonWebSignature jws() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        if (typ != null) {
            jws.setHeader("typ", typ);
        }
        return jws;
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
