package dev.tessera.resourceserver;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenValidatorBuilderTest {
    private static final URI JWKS = URI.create("https://as.example/jwks");

    private static TokenValidator.Builder builder() {
        return TokenValidator.forJwksUri(JWKS).issuer("https://as.example").audience("api");
    }

    @Test
    void refusesAlgNoneEvenWhenAskedForIt() {
        assertThatThrownBy(() -> builder().allowedAlgorithms(JWSAlgorithm.RS256, new JWSAlgorithm("none")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesHmacAlgorithmsEvenWhenAskedForThem() {
        for (JWSAlgorithm hmac : new JWSAlgorithm[] {JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512}) {
            assertThatThrownBy(() -> builder().allowedAlgorithms(hmac)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void acceptsOtherAsymmetricAlgorithms() {
        assertThatCode(() -> builder().allowedAlgorithms(JWSAlgorithm.RS512, JWSAlgorithm.ES384, JWSAlgorithm.EdDSA).build().close())
                .doesNotThrowAnyException();
    }

    @Test
    void requiresAnAudience() {
        assertThatThrownBy(() -> TokenValidator.forJwksUri(JWKS).issuer("https://as.example").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("audience");
        assertThatThrownBy(() -> builder().audience()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().audience(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requiresAnIssuerWithAJwksUri() {
        assertThatThrownBy(() -> TokenValidator.forJwksUri(JWKS).audience("api").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer");
    }

    @Test
    void refusesToChangeTheIssuerGivenToForIssuer() {
        assertThatThrownBy(() -> TokenValidator.forIssuer(URI.create("https://as.example")).issuer("https://other.example"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesPlainHttpKeysOutsideLoopbackUnlessAllowed() {
        TokenValidator.Builder plain = TokenValidator.forJwksUri(URI.create("http://as.example/jwks")).issuer("x").audience("api");

        assertThatThrownBy(plain::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HTTPS");
        assertThatCode(() -> plain.allowPlainHttp().build().close()).doesNotThrowAnyException();
        assertThatCode(() -> TokenValidator.forJwksUri(URI.create("http://127.0.0.1:9/jwks")).issuer("x").audience("api").build().close())
                .doesNotThrowAnyException();
        assertThatCode(() -> TokenValidator.forJwksUri(URI.create("http://[::1]:9/jwks")).issuer("x").audience("api").build().close())
                .doesNotThrowAnyException();
    }

    @Test
    void refusesARelativeJwksUri() {
        assertThatThrownBy(() -> TokenValidator.forJwksUri(URI.create("/jwks")).issuer("x").audience("api").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNegativeOrZeroDurations() {
        assertThatThrownBy(() -> builder().clockSkew(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().jwksRefreshInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().unknownKidRefetchMinInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesARefreshIntervalShorterThanTheHttpTimeouts() {
        assertThatThrownBy(() -> builder().jwksRefreshInterval(Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalStateException.class);
    }
}
