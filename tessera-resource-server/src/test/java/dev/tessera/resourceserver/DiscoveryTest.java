package dev.tessera.resourceserver;

import static dev.tessera.resourceserver.testsupport.TokenMint.AUDIENCE;
import static dev.tessera.resourceserver.testsupport.TokenMint.accessToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.RSAKey;
import dev.tessera.resourceserver.testsupport.FakeIssuer;
import dev.tessera.resourceserver.testsupport.TokenMint;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
    private static RSAKey key;
    private FakeIssuer issuer;

    @BeforeAll
    static void keys() {
        key = TokenMint.rsaKey("k1");
    }

    @BeforeEach
    void start() {
        issuer = new FakeIssuer();
        issuer.publish(key);
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void findsTheJwksThroughTheIssuersMetadata() throws Exception {
        try (TokenValidator validator = TokenValidator.forIssuer(URI.create(issuer.issuer())).audience(AUDIENCE).build()) {
            assertThat(validator.validate(accessToken(key, issuer.issuer(), Instant.now())).subject()).isEqualTo("user-42");
            validator.validate(accessToken(key, issuer.issuer(), Instant.now()));
        }

        assertThat(issuer.hits("openid-configuration")).isEqualTo(1);
        assertThat(issuer.jwksFetches()).isEqualTo(1);
    }

    @Test
    void fallsBackToRfc8414MetadataWithoutOpenidConfiguration() throws Exception {
        issuer.withoutOpenidConfiguration();

        try (TokenValidator validator = TokenValidator.forIssuer(URI.create(issuer.issuer())).audience(AUDIENCE).build()) {
            assertThat(validator.validate(accessToken(key, issuer.issuer(), Instant.now())).subject()).isEqualTo("user-42");
        }
        assertThat(issuer.hits("oauth-authorization-server")).isEqualTo(1);
    }

    @Test
    void fetchesNothingBeforeTheFirstToken() {
        TokenValidator.forIssuer(URI.create(issuer.issuer())).audience(AUDIENCE).build().close();

        assertThat(issuer.hits("openid-configuration")).isZero();
    }

    @Test
    void refusesMetadataThatNamesAnotherIssuerAndNeverTrustsItsKeys() {
        issuer.metadataNamesIssuer("https://evil.example");

        try (TokenValidator validator = TokenValidator.forIssuer(URI.create(issuer.issuer())).audience(AUDIENCE).build()) {
            TokenValidationException refused = catchThrowableOfType(TokenValidationException.class,
                    () -> validator.validate(accessToken(key, issuer.issuer(), Instant.now())));

            assertThat(refused.error()).isEqualTo(BearerError.VALIDATION_UNAVAILABLE);
        }
        assertThat(issuer.jwksFetches()).isZero();
    }

    @Test
    void comparesTheIssuerExactlyNotUpToATrailingSlash() {
        URI withSlash = URI.create(issuer.issuer() + "/");

        try (TokenValidator validator = TokenValidator.forIssuer(withSlash).audience(AUDIENCE).build()) {
            TokenValidationException refused = catchThrowableOfType(TokenValidationException.class,
                    () -> validator.validate(accessToken(key, withSlash.toString(), Instant.now())));

            assertThat(refused.error()).isEqualTo(BearerError.VALIDATION_UNAVAILABLE);
        }
        assertThat(issuer.jwksFetches()).isZero();
    }

    @Test
    void looksForOidcAndRfc8414MetadataAtTheRightPlaces() {
        assertThat(IssuerMetadataJwksSource.metadataLocations("https://as.example/tenant/"))
                .containsExactly(URI.create("https://as.example/tenant/.well-known/openid-configuration"),
                        URI.create("https://as.example/.well-known/oauth-authorization-server/tenant"));
        assertThat(IssuerMetadataJwksSource.metadataLocations("https://as.example"))
                .containsExactly(URI.create("https://as.example/.well-known/openid-configuration"),
                        URI.create("https://as.example/.well-known/oauth-authorization-server"));
    }
}
