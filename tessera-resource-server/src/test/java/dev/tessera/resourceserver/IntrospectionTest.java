package dev.tessera.resourceserver;

import static dev.tessera.resourceserver.testsupport.TokenMint.AUDIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tessera.resourceserver.testsupport.FakeIssuer;
import dev.tessera.resourceserver.testsupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntrospectionTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String OPAQUE = "opaque-token-123";

    private final MutableClock clock = new MutableClock(NOW);
    private FakeIssuer issuer;
    private TokenValidator validator;

    @BeforeEach
    void start() {
        issuer = new FakeIssuer();
        issuer.answerIntrospection(200, body -> body.contains("token=" + OPAQUE) ? activeAnswer(NOW.plusSeconds(600)) : "{\"active\":false}");
        validator = TokenValidator.introspecting(issuer.introspectionUri(), "api server", "s3cr:t&")
                .issuer(issuer.issuer()).audience(AUDIENCE).clock(clock).build();
    }

    @AfterEach
    void stop() {
        validator.close();
        issuer.close();
    }

    private String activeAnswer(Instant exp) {
        return "{\"active\":true,\"iss\":\"" + issuer.issuer() + "\",\"sub\":\"user-42\",\"client_id\":\"web-app\","
                + "\"aud\":\"" + AUDIENCE + "\",\"scope\":\"orders:read\",\"exp\":" + exp.getEpochSecond()
                + ",\"iat\":" + NOW.getEpochSecond() + ",\"jti\":\"j-9\",\"token_type\":\"Bearer\"}";
    }

    @Test
    void acceptsAnActiveTokenWithTheSameShapeAsAJwt() throws Exception {
        VerifiedToken token = validator.validate(OPAQUE);

        assertThat(token.subject()).isEqualTo("user-42");
        assertThat(token.clientId()).isEqualTo("web-app");
        assertThat(token.scopes()).containsExactly("orders:read");
        assertThat(token.audience()).containsExactly(AUDIENCE);
        assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(600));
        assertThat(token.jti()).isEqualTo("j-9");
        assertThat(token.claims()).containsEntry("token_type", "Bearer");
    }

    @Test
    void authenticatesWithFormEncodedClientSecretBasic() throws Exception {
        validator.validate(OPAQUE);

        String expected = "Basic " + Base64.getEncoder().encodeToString("api+server:s3cr%3At%26".getBytes(StandardCharsets.UTF_8));
        assertThat(issuer.introspectionAuthorizations()).containsExactly(expected);
        assertThat(issuer.introspectionBodies()).containsExactly("token=" + OPAQUE + "&token_type_hint=access_token");
    }

    @Test
    void refusesAnInactiveToken() {
        TokenValidationException refused = catchThrowableOfType(TokenValidationException.class, () -> validator.validate("revoked"));

        assertThat(refused.error()).isEqualTo(BearerError.INVALID_TOKEN);
        assertThat(refused.description()).contains("not active");
    }

    @Test
    void treatsAnAnswerWithoutActiveTrueAsInactive() {
        issuer.answerIntrospection(200, body -> "{\"active\":\"true\",\"sub\":\"x\"}");

        assertThat(catchThrowableOfType(TokenValidationException.class, () -> validator.validate(OPAQUE)).error())
                .isEqualTo(BearerError.INVALID_TOKEN);
    }

    @Test
    void reusesAnActiveAnswerWithinTheCacheTime() throws Exception {
        validator.validate(OPAQUE);
        clock.advance(Duration.ofSeconds(29));
        validator.validate(OPAQUE);

        assertThat(issuer.hits("introspect")).isEqualTo(1);
    }

    @Test
    void asksAgainOnceTheCacheTimeHasPassed() throws Exception {
        validator.validate(OPAQUE);
        clock.advance(Duration.ofSeconds(30));
        validator.validate(OPAQUE);

        assertThat(issuer.hits("introspect")).isEqualTo(2);
    }

    @Test
    void neverCachesAnAnswerPastTheTokensExpiry() throws Exception {
        issuer.answerIntrospection(200, body -> activeAnswer(NOW.plusSeconds(10)));
        validator.validate(OPAQUE);
        clock.advance(Duration.ofSeconds(11));

        validator.validate(OPAQUE); // within the 60 s skew, so the issuer is asked again and still answers active

        assertThat(issuer.hits("introspect")).isEqualTo(2);
    }

    @Test
    void doesNotCacheInactiveAnswers() {
        catchThrowableOfType(TokenValidationException.class, () -> validator.validate("revoked"));
        catchThrowableOfType(TokenValidationException.class, () -> validator.validate("revoked"));

        assertThat(issuer.hits("introspect")).isEqualTo(2);
    }

    @Test
    void refusesAnActiveTokenForAnotherAudience() {
        issuer.answerIntrospection(200, body -> activeAnswer(NOW.plusSeconds(600)).replace(AUDIENCE, "https://other.example"));

        assertThat(catchThrowableOfType(TokenValidationException.class, () -> validator.validate(OPAQUE)).description())
                .contains("another audience");
    }

    @Test
    void refusesAnActiveTokenFromAnotherIssuer() {
        issuer.answerIntrospection(200, body -> activeAnswer(NOW.plusSeconds(600)).replace(issuer.issuer(), "https://evil.example"));

        assertThat(catchThrowableOfType(TokenValidationException.class, () -> validator.validate(OPAQUE)).description())
                .contains("another issuer");
    }

    @Test
    void reportsRefusedClientCredentialsAsUnavailableNotAsABadToken() {
        issuer.answerIntrospection(401, body -> "{\"error\":\"invalid_client\"}");

        TokenValidationException refused = catchThrowableOfType(TokenValidationException.class, () -> validator.validate(OPAQUE));

        assertThat(refused.error()).isEqualTo(BearerError.VALIDATION_UNAVAILABLE);
        assertThat(refused.httpStatus()).isEqualTo(503);
    }

    @Test
    void reportsANonJsonAnswerAsUnavailable() {
        issuer.answerIntrospection(200, body -> "<html>");

        assertThat(catchThrowableOfType(TokenValidationException.class, () -> validator.validate(OPAQUE)).error())
                .isEqualTo(BearerError.VALIDATION_UNAVAILABLE);
    }

    @Test
    void refusesARefreshTokenThatTheIssuerReportsActive() {
        // The issuer's refresh token answer names the client as aud; only token_type tells it apart.
        issuer.answerIntrospection(200, body -> activeAnswer(NOW.plusSeconds(600))
                .replace("\"token_type\":\"Bearer\"", "\"token_type\":\"refresh_token\""));

        TokenValidationException refused = catchThrowableOfType(TokenValidationException.class, () -> validator.validate(OPAQUE));

        assertThat(refused.error()).isEqualTo(BearerError.INVALID_TOKEN);
        assertThat(refused.description()).contains("not an access token");
    }

    @Test
    void acceptsTheAccessTokenTypesAnIssuerMayName() throws Exception {
        for (String type : new String[] {"bearer", "access_token", "urn:ietf:params:oauth:token-type:access_token"}) {
            validator.close();
            validator = TokenValidator.introspecting(issuer.introspectionUri(), "api server", "s3cr:t&")
                    .issuer(issuer.issuer()).audience(AUDIENCE).clock(clock).build();
            issuer.answerIntrospection(200, body -> activeAnswer(NOW.plusSeconds(600)).replace("\"Bearer\"", "\"" + type + "\""));

            assertThat(validator.validate(OPAQUE).subject()).as(type).isEqualTo("user-42");
        }
    }

    @Test
    void refusesAnOpaqueTokenWhoseAnswerDoesNotSayItIsAnAccessToken() {
        issuer.answerIntrospection(200, body -> activeAnswer(NOW.plusSeconds(600)).replace(",\"token_type\":\"Bearer\"", ""));

        assertThat(catchThrowableOfType(TokenValidationException.class, () -> validator.validate(OPAQUE)).description())
                .contains("not an access token");
    }

    @Test
    void acceptsAnAnswerWithoutTokenTypeForAJwtTypedAsAnAccessToken() throws Exception {
        String jwt = unsignedJwt("at+jwt");
        issuer.answerIntrospection(200, body -> activeAnswer(NOW.plusSeconds(600)).replace(",\"token_type\":\"Bearer\"", ""));

        assertThat(validator.validate(jwt).subject()).isEqualTo("user-42");
    }

    @Test
    void refusesAnAnswerWithoutTokenTypeForAnIdToken() {
        String idToken = unsignedJwt("JWT");
        issuer.answerIntrospection(200, body -> activeAnswer(NOW.plusSeconds(600)).replace(",\"token_type\":\"Bearer\"", ""));

        assertThat(catchThrowableOfType(TokenValidationException.class, () -> validator.validate(idToken)).description())
                .contains("not an access token");
    }

    // Introspection vouches for the token, so only the header matters here; the signature is never checked.
    private static String unsignedJwt(String typ) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(("{\"alg\":\"RS256\",\"typ\":\"" + typ + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"sub\":\"user-42\"}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }
}
