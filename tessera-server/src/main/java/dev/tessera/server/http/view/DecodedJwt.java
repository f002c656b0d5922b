package dev.tessera.server.http.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A token as the dev callback page shows it: the JOSE header and the claims, pretty-printed, and its expiry in
 * words. Decoding is what any client can do with a JWT; it proves nothing about the signature, which the page
 * says. An encrypted JWT shows only its header (only the client's key opens it), an opaque token nothing.
 *
 * @param kind        "signed JWT", "encrypted JWT" or "opaque"
 * @param headerJson  null for an opaque token
 * @param claimsJson  null unless signed
 * @param expiresAt   null without a readable {@code exp}
 */
public record DecodedJwt(String kind, String algorithm, String keyId, String headerJson, String claimsJson,
                         Instant expiresAt, String expiry) {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Who issued it, to whom, about whom, for what and when first; everything else after, by name. */
    private static final List<String> FIRST = List.of("typ", "alg", "kid", "iss", "sub", "aud", "azp", "client_id",
            "scope", "exp", "iat", "nbf", "auth_time", "acr", "amr", "nonce", "sid", "jti");
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    public static DecodedJwt decode(String token, Instant now) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return new DecodedJwt("opaque", null, null, null, null, null, null);
        }
        Header header = jwt.getHeader();
        String keyId = header instanceof JWSHeader jws ? jws.getKeyID() : null;
        String headerJson = pretty(header.toJSONObject());
        if (jwt instanceof EncryptedJWT) {
            return new DecodedJwt("encrypted JWT", header.getAlgorithm().getName(), null, headerJson, null, null, null);
        }
        if (!(jwt instanceof SignedJWT)) {
            return new DecodedJwt("unsigned JWT", "none", null, headerJson, null, null, null); // never issued here
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return new DecodedJwt("signed JWT", header.getAlgorithm().getName(), keyId, headerJson, null, null, null);
        }
        Instant expiresAt = claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
        return new DecodedJwt("signed JWT", header.getAlgorithm().getName(), keyId, headerJson,
                pretty(claims.toJSONObject()), expiresAt,
                expiresAt == null ? null : ExpiryWords.describe(expiresAt, now));
    }

    public boolean isJwt() {
        return headerJson != null;
    }

    public boolean hasClaims() {
        return claimsJson != null;
    }

    /** {@code exp} as a date a person reads, e.g. "2026-12-03 08:14:03 UTC"; null without one. */
    public String expiresAtUtc() {
        return expiresAt == null ? null : UTC_TIME.format(expiresAt);
    }

    private static String pretty(Map<String, Object> json) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String name : FIRST) {
            if (json.containsKey(name)) {
                ordered.put(name, json.get(name));
            }
        }
        ordered.putAll(new TreeMap<>(json));
        try {
            return PRETTY.writeValueAsString(ordered);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JOSE object is JSON", e);
        }
    }
}
