package dev.tessera.server.http.view;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the dev callback page shows of a token: header, claims and expiry of a JWT; nothing of the rest. */
class DecodedJwtTest {
    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    private static String signed(Instant expiresAt) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k-1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k-1")
                .type(new JOSEObjectType("at+jwt")).build(),
                new JWTClaimsSet.Builder().issuer("http://127.0.0.1:8080").subject("u-1").audience("demo-app")
                        .expirationTime(Date.from(expiresAt)).claim("scope", "openid email")
                        .claim("amr", List.of("pwd")).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aSignedJwtShowsItsHeaderClaimsAndExpiryInWords() throws Exception {
        DecodedJwt decoded = DecodedJwt.decode(signed(NOW.plus(Duration.ofMinutes(15))), NOW);

        assertThat(decoded.kind()).isEqualTo("signed JWT");
        assertThat(decoded.algorithm()).isEqualTo("ES256");
        assertThat(decoded.keyId()).isEqualTo("k-1");
        assertThat(decoded.headerJson()).contains("\"typ\" : \"at+jwt\"", "\"kid\" : \"k-1\"", "\"alg\" : \"ES256\"");
        assertThat(decoded.claimsJson()).contains("\"sub\" : \"u-1\"", "\"scope\" : \"openid email\"",
                "\"iss\" : \"http://127.0.0.1:8080\"", "\"exp\" : " + NOW.plus(Duration.ofMinutes(15)).getEpochSecond());
        // pretty-printed, one member per line, the registered claims first in a fixed order, then by name
        assertThat(decoded.claimsJson().lines().map(String::strip).toList()).containsExactly("{",
                "\"iss\" : \"http://127.0.0.1:8080\",", "\"sub\" : \"u-1\",", "\"aud\" : \"demo-app\",",
                "\"scope\" : \"openid email\",", "\"exp\" : " + NOW.plus(Duration.ofMinutes(15)).getEpochSecond() + ",",
                "\"amr\" : [ \"pwd\" ]", "}");
        assertThat(decoded.headerJson().lines().map(String::strip).toList()).containsExactly("{",
                "\"typ\" : \"at+jwt\",", "\"alg\" : \"ES256\",", "\"kid\" : \"k-1\"", "}");
        assertThat(decoded.expiry()).isEqualTo("expires in 15\u00A0minutes");
        assertThat(decoded.expiresAtUtc()).isEqualTo("2030-01-01 10:15:00 UTC");
        assertThat(decoded.isJwt()).isTrue();
        assertThat(decoded.hasClaims()).isTrue();
    }

    @Test
    void anExpiredTokenSaysSo() throws Exception {
        DecodedJwt decoded = DecodedJwt.decode(signed(NOW.minus(Duration.ofMinutes(3))), NOW);

        assertThat(decoded.expiry()).isEqualTo("expired 3\u00A0minutes ago");
    }

    @Test
    void anEncryptedJwtShowsOnlyItsHeader() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                new JWTClaimsSet.Builder().subject("secret-subject").build());
        jwt.encrypt(new RSAEncrypter(key));

        DecodedJwt decoded = DecodedJwt.decode(jwt.serialize(), NOW);

        assertThat(decoded.kind()).isEqualTo("encrypted JWT");
        assertThat(decoded.algorithm()).isEqualTo("RSA-OAEP-256");
        assertThat(decoded.headerJson()).contains("\"enc\" : \"A256GCM\"");
        assertThat(decoded.hasClaims()).isFalse();
        assertThat(decoded.expiry()).isNull();
    }

    @Test
    void anOpaqueOrBrokenTokenIsShownAsOpaqueNeverAsAnError() {
        for (String token : List.of("rt_3q2-7wQbYV0", "", "a.b.c", "....")) {
            DecodedJwt decoded = DecodedJwt.decode(token, NOW);

            assertThat(decoded.isJwt()).as(token).isFalse();
            assertThat(decoded.kind()).as(token).isEqualTo("opaque");
        }
        // a readable header over an unreadable payload: the header, and no claims
        DecodedJwt broken = DecodedJwt.decode("eyJhbGciOiJIUzI1NiJ9.%%%.x", NOW);
        assertThat(broken.headerJson()).contains("HS256");
        assertThat(broken.hasClaims()).isFalse();
        assertThat(broken.expiry()).isNull();
    }

    @Test
    void anUnsignedJwtShowsItsHeaderButNoClaims() {
        DecodedJwt decoded = DecodedJwt.decode("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", NOW);

        assertThat(decoded.kind()).isEqualTo("unsigned JWT");
        assertThat(decoded.headerJson()).contains("\"alg\" : \"none\"");
        assertThat(decoded.hasClaims()).isFalse();
    }

    @Test
    void aJwtWithoutExpiryHasNoExpiryLine() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), new JWTClaimsSet.Builder().subject("x").build());
        jwt.sign(new ECDSASigner(key));

        DecodedJwt decoded = DecodedJwt.decode(jwt.serialize(), NOW);

        assertThat(decoded.expiry()).isNull();
        assertThat(decoded.expiresAtUtc()).isNull();
        assertThat(decoded.claimsJson()).contains("\"sub\" : \"x\"");
    }
}
