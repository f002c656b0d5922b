package dev.tessera.server.application.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import dev.tessera.server.testsupport.TestKeys;
import org.junit.jupiter.api.Test;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    /** RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint. */
    private static final String RFC7638_N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    private static final String RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    @Test
    void kidIsTheRfc7638ThumbprintOfThePublicKey() throws Exception {
        PublicKey rfcPublic = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new Base64URL(RFC7638_N).decodeToBigInteger(), new Base64URL("AQAB").decodeToBigInteger()));

        // The kid depends on the public key only; the private half here is just a stand-in.
        SigningKey key = SigningKey.fromKeyPair(new KeyPair(rfcPublic, TestKeys.rsa2048().getPrivate()), JWSAlgorithm.RS256, T0);

        assertThat(key.kid()).isEqualTo(RFC7638_THUMBPRINT);
        assertThat(key.publicJwk().getKeyID()).isEqualTo(RFC7638_THUMBPRINT);
    }

    @Test
    void theActiveKeyIsTheNewestWhoseActivationHasPassed() {
        SigningKey old = SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.RS256, T0);
        SigningKey next = SigningKey.fromKeyPair(TestKeys.rsa2048Second(), JWSAlgorithm.RS256, T0.plusSeconds(3600));
        KeyRing ring = new KeyRing(List.of(old, next));

        assertThat(ring.active(JWSAlgorithm.RS256, T0.plusSeconds(3599))).contains(old);
        assertThat(ring.active(JWSAlgorithm.RS256, T0.plusSeconds(3600))).contains(next);
        assertThat(ring.published()).containsExactlyInAnyOrder(old, next); // the future key is already published
        assertThat(ring.active(JWSAlgorithm.RS256, T0.minusSeconds(1))).isEmpty();
    }

    @Test
    void keysActivatingAtTheSameInstantAreResolvedByKidWhateverTheirOrder() {
        SigningKey a = SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.RS256, T0);
        SigningKey b = SigningKey.fromKeyPair(TestKeys.rsa2048Second(), JWSAlgorithm.RS256, T0);

        SigningKey first = new KeyRing(List.of(a, b)).active(JWSAlgorithm.RS256, T0).orElseThrow();
        SigningKey second = new KeyRing(List.of(b, a)).active(JWSAlgorithm.RS256, T0).orElseThrow();

        assertThat(first).isEqualTo(second);
        assertThat(first.kid()).isEqualTo(a.kid().compareTo(b.kid()) < 0 ? a.kid() : b.kid());
    }

    @Test
    void eachAlgorithmHasItsOwnActiveKey() {
        KeyRing ring = TestKeys.keyRing();

        assertThat(ring.activeAlgorithms(T0)).containsExactly(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256);
        assertThat(ring.active(JWSAlgorithm.ES256, T0)).get().extracting(SigningKey::algorithm).isEqualTo(JWSAlgorithm.ES256);
        assertThat(ring.active(JWSAlgorithm.HS256, T0)).isEmpty();
    }

    @Test
    void signingKeysRefuseNoneHmacAndMismatchedKeys() {
        assertThatThrownBy(() -> SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.HS256, T0))
                .hasMessageContaining("unsupported signing algorithm");
        assertThatThrownBy(() -> SigningKey.fromKeyPair(TestKeys.rsa2048(), JWSAlgorithm.ES256, T0))
                .hasMessageContaining("RSA key cannot sign ES256");
        assertThatThrownBy(() -> SigningKey.fromKeyPair(TestKeys.ecP256(), JWSAlgorithm.RS256, T0))
                .hasMessageContaining("cannot sign RS256");
        assertThatThrownBy(() -> SigningKey.fromKeyPair(TestKeys.weakRsa1024(), JWSAlgorithm.RS256, T0))
                .hasMessageContaining("1024 bits");
    }
}
