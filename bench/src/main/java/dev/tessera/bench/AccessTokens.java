package dev.tessera.bench;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** The header and claims of a typical Tessera access token (RFC 9068), as the benchmarks sign them. */
final class AccessTokens {
    static final String AUDIENCE = "https://api.example.com";

    private AccessTokens() {
    }

    static JWSHeader header(RSAKey key) {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(new JOSEObjectType("at+jwt")).build();
    }

    /** A user token's claims; {@code lifetime} covers the whole benchmark so validation never sees it expire. */
    static JWTClaimsSet claims(String issuer, Instant now, Duration lifetime) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("u-8f3c2a9e41d74b0f")
                .audience(List.of(AUDIENCE))
                .claim("client_id", "web-app")
                .claim("scope", "openid profile email api.read")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID("b3f1c0de-6d1e-4a57-9a51-2f0c8e7d4a11")
                .claim("auth_time", now.getEpochSecond())
                .claim("acr", "urn:tessera:acr:pwd")
                .claim("amr", List.of("pwd"))
                .claim("roles", List.of("user"))
                .build();
    }
}
