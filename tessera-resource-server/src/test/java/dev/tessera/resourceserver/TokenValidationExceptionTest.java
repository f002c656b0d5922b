package dev.tessera.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenValidationExceptionTest {

    @Test
    void challengesARequestWithoutTokenWithoutAnyErrorInformation() {
        TokenValidationException missing = TokenValidationException.missingToken();

        assertThat(missing.wwwAuthenticate("orders")).isEqualTo("Bearer realm=\"orders\"");
        assertThat(missing.wwwAuthenticate()).isEqualTo("Bearer");
        assertThat(missing.httpStatus()).isEqualTo(401);
        assertThat(missing.toJson()).doesNotContain("\"error\"");
    }

    @Test
    void describesAnInvalidToken() {
        TokenValidationException invalid = TokenValidationException.invalidToken("the access token has expired");

        assertThat(invalid.wwwAuthenticate("orders"))
                .isEqualTo("Bearer realm=\"orders\", error=\"invalid_token\", error_description=\"the access token has expired\"");
        assertThat(invalid.wwwAuthenticate())
                .isEqualTo("Bearer error=\"invalid_token\", error_description=\"the access token has expired\"");
        assertThat(invalid.toJson())
                .isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"the access token has expired\"}");
    }

    @Test
    void namesTheMissingScopesInTheOrderGiven() {
        TokenValidationException insufficient = TokenValidationException.insufficientScope(List.of("orders:write", "orders:read"));

        assertThat(insufficient.httpStatus()).isEqualTo(403);
        assertThat(insufficient.wwwAuthenticate()).isEqualTo("Bearer error=\"insufficient_scope\", "
                + "error_description=\"the access token lacks a required scope\", scope=\"orders:write orders:read\"");
    }

    @Test
    void answersAMalformedRequestWith400() {
        TokenValidationException bad = TokenValidationException.invalidRequest("more than one Authorization header");

        assertThat(bad.httpStatus()).isEqualTo(400);
        assertThat(bad.wwwAuthenticate()).startsWith("Bearer error=\"invalid_request\"");
    }

    @Test
    void keepsUnavailableKeysOutOfTheChallengeAndTheCauseOutOfTheDescription() {
        TokenValidationException unavailable = TokenValidationException.unavailable("the signing keys could not be loaded",
                new java.io.IOException("http://10.0.0.5/jwks refused"));

        assertThat(unavailable.httpStatus()).isEqualTo(503);
        assertThat(unavailable.wwwAuthenticate("api")).isEqualTo("Bearer realm=\"api\"");
        assertThat(unavailable.toJson()).doesNotContain("10.0.0.5").contains("temporarily_unavailable");
    }

    @Test
    void refusesCharactersThatWouldBreakTheChallenge() {
        assertThatThrownBy(() -> TokenValidationException.invalidToken("say \"hi\"")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenValidationException.invalidToken("back\\slash")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenValidationException.invalidToken("line\nbreak")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenValidationException.missingToken().wwwAuthenticate("a\"b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
