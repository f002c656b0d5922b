package dev.tessera.resourceserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class BearerTokenReaderTest {

    private static BearerError errorFor(List<String> headers, List<String> form) {
        return catchThrowableOfType(TokenValidationException.class, () -> BearerTokenReader.read(headers, form)).error();
    }

    @Test
    void readsTheTokenFromTheAuthorizationHeader() throws Exception {
        assertThat(BearerTokenReader.fromHeaders(List.of("Bearer abc.DEF-_~+/=="))).isEqualTo("abc.DEF-_~+/==");
    }

    @Test
    void treatsTheSchemeCaseInsensitively() throws Exception {
        assertThat(BearerTokenReader.fromHeaders(List.of("bearer abc"))).isEqualTo("abc");
        assertThat(BearerTokenReader.fromHeaders(List.of("BEARER  abc"))).isEqualTo("abc");
    }

    @Test
    void reportsARequestWithoutBearerCredentialsAsMissingToken() {
        assertThat(errorFor(List.of(), List.of())).isEqualTo(BearerError.MISSING_TOKEN);
        assertThat(errorFor(List.of("Basic dXNlcjpwYXNz"), List.of())).isEqualTo(BearerError.MISSING_TOKEN);
    }

    @Test
    void refusesABearerHeaderWithoutToken() {
        assertThat(errorFor(List.of("Bearer"), List.of())).isEqualTo(BearerError.INVALID_REQUEST);
        assertThat(errorFor(List.of("Bearer   "), List.of())).isEqualTo(BearerError.INVALID_REQUEST);
    }

    @Test
    void refusesTwoTokensInOneHeader() {
        assertThat(errorFor(List.of("Bearer abc def"), List.of())).isEqualTo(BearerError.INVALID_REQUEST);
    }

    @Test
    void refusesCharactersOutsideTheB64TokenSyntax() {
        for (String bad : List.of("Bearer a,b", "Bearer a\"b", "Bearer =abc", "Bearer a=b", "Bearer ä", "Bearer a;b")) {
            assertThat(errorFor(List.of(bad), List.of())).as(bad).isEqualTo(BearerError.INVALID_REQUEST);
        }
    }

    @Test
    void refusesTwoAuthorizationHeaders() {
        assertThat(errorFor(List.of("Bearer a", "Bearer b"), List.of())).isEqualTo(BearerError.INVALID_REQUEST);
    }

    @Test
    void readsAFormBodyTokenWhenOffered() throws Exception {
        assertThat(BearerTokenReader.read(List.of(), List.of("abc"))).isEqualTo("abc");
        assertThat(BearerTokenReader.read(List.of("Basic dXNlcjpwYXNz"), List.of("abc"))).isEqualTo("abc");
    }

    @Test
    void refusesATokenSentByTwoMethods() {
        assertThat(errorFor(List.of("Bearer abc"), List.of("abc"))).isEqualTo(BearerError.INVALID_REQUEST);
    }

    @Test
    void refusesTwoFormBodyTokensAndAnEmptyOne() {
        assertThat(errorFor(List.of(), List.of("a", "b"))).isEqualTo(BearerError.INVALID_REQUEST);
        assertThat(errorFor(List.of(), List.of(""))).isEqualTo(BearerError.INVALID_REQUEST);
    }

    @Test
    void refusesAnAbsurdlyLongToken() {
        assertThat(errorFor(List.of("Bearer " + "a".repeat(20_000)), List.of())).isEqualTo(BearerError.INVALID_REQUEST);
    }
}
