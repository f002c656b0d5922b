package dev.tessera.server.http.support;

import dev.tessera.server.application.clientauth.PresentedCredentials;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormBodyTest {
    @Test
    void decodesPlusAndPercentEscapesAsUtf8() {
        Map<String, List<String>> form = FormBody.parse("a=hello+world&b=caf%C3%A9&c=%2B%26%3D");
        assertThat(form.get("a")).containsExactly("hello world");
        assertThat(form.get("b")).containsExactly("café");
        assertThat(form.get("c")).containsExactly("+&=");
    }

    @Test
    void keepsRepeatsSoCallersCanRejectDuplicates() {
        assertThat(FormBody.parse("scope=a&scope=b").get("scope")).containsExactly("a", "b");
    }

    @Test
    void malformedPercentEncodingIsInvalidRequest() {
        assertThatThrownBy(() -> FormBody.parse("a=%zz")).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST));
        assertThatThrownBy(() -> FormBody.parse("a=%4")).isInstanceOf(OAuthException.class);
    }

    @Test
    void invalidUtf8IsInvalidRequest() {
        assertThatThrownBy(() -> FormBody.parse("a=%C3%28")).isInstanceOf(OAuthException.class);
    }

    @Test
    void rawMultiByteCharactersFollowedByAPlusDecodeLikeTheirPercentEncoding() {
        // Each raw '€' becomes three UTF-8 bytes, more than its one char: the buffer must not be sized by chars.
        assertThat(FormBody.parse("a=€+&b=€€€%2B&c=𝄞+x").get("a")).containsExactly("€ ");
        assertThat(FormBody.parse("a=€+&b=€€€%2B&c=𝄞+x").get("b")).containsExactly("€€€+");
        assertThat(FormBody.parse("a=€+&b=€€€%2B&c=𝄞+x").get("c")).containsExactly("𝄞 x");
        assertThat(FormBody.parse("a=€+".getBytes(StandardCharsets.UTF_8)).get("a")).containsExactly("€ ");
    }

    @Test
    void aLoneSurrogateInAQueryStringIsInvalidRequestNotAQuestionMark() {
        assertThatThrownBy(() -> FormBody.parse("a=\uD800+")).isInstanceOfSatisfying(OAuthException.class,
                e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST));
    }

    @Test
    void tooManyParametersIsInvalidRequest() {
        String many = String.join("&", java.util.Collections.nCopies(FormBody.MAX_PARAMETERS + 1, "x=1"));
        assertThatThrownBy(() -> FormBody.parse(many)).isInstanceOf(OAuthException.class);
    }

    @Test
    void basicCredentialsAreFormDecodedAfterBase64() {
        // RFC 6749 §2.3.1: a secret with ':' or '+' arrives percent-encoded inside the base64.
        String header = "Basic " + Base64.getEncoder().encodeToString(
                "my%20client:p%3Ass%2Bword".getBytes(StandardCharsets.UTF_8));
        PresentedCredentials credentials = ClientCredentialsReader.read(header, Map.of());
        assertThat(credentials.basicId()).isEqualTo("my client");
        assertThat(credentials.basicSecret()).isEqualTo("p:ss+word");
    }

    @Test
    void malformedBasicCredentialsAreInvalidClient() {
        assertThatThrownBy(() -> ClientCredentialsReader.read("Basic !!!", Map.of()))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_CLIENT));
        String noColon = "Basic " + Base64.getEncoder().encodeToString("justid".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ClientCredentialsReader.read(noColon, Map.of())).isInstanceOf(OAuthException.class);
    }

    @Test
    void bearerTokenFromHeaderOrBodyButNotBoth() {
        assertThat(BearerTokenReader.read("Bearer abc.def-ghi", Map.of())).isEqualTo("abc.def-ghi");
        assertThat(BearerTokenReader.read("bearer abc", Map.of())).isEqualTo("abc");
        assertThat(BearerTokenReader.read(null, Map.of("access_token", List.of("xyz")))).isEqualTo("xyz");
        assertThat(BearerTokenReader.read(null, Map.of())).isNull();
        assertThatThrownBy(() -> BearerTokenReader.read("Bearer abc", Map.of("access_token", List.of("xyz"))))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_REQUEST));
        assertThatThrownBy(() -> BearerTokenReader.read("Bearer a b", Map.of())).isInstanceOf(OAuthException.class);
    }
}
