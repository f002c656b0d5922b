package dev.tessera.server.http.view;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** URLs that reach an href or a form action: HTML escaping does not defuse a javascript: URL, these checks do. */
class PageModelsTest {

    @Test
    void rejectsAJavascriptReturnUrlOnTheLoggedOutPage() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LoggedOutPage("Tessera", "Web", "javascript:alert(1)"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LoggedOutPage("Tessera", "Web", "JavaScript:alert(1)"));
    }

    @Test
    void rejectsDataAndCustomSchemeRedirectUrisForFormPost() {
        Map<String, String> params = Map.of("code", "abc");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FormPostPage("Tessera", "Web", "data:text/html,<h1>x</h1>", params));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FormPostPage("Tessera", "Web", "com.example.app:/callback", params));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FormPostPage("Tessera", "Web", "/relative/callback", params));
    }

    @Test
    void acceptsHttpsAndLoopbackHttpRedirectUris() {
        Map<String, String> params = Map.of("code", "abc");
        assertThat(new FormPostPage("Tessera", "Web", "https://app.example.com/cb", params).redirectUri())
                .isEqualTo("https://app.example.com/cb");
        assertThat(new FormPostPage("Tessera", "Web", "http://127.0.0.1:51004/cb", params).redirectUri())
                .isEqualTo("http://127.0.0.1:51004/cb");
    }

    @Test
    void rejectsProtocolRelativeAndScriptFormActions() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LoginPage("Tessera", "Web", "//evil.example/login", "c", "r", null, null, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LoginPage("Tessera", "Web", "javascript:alert(1)", "c", "r", null, null, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LoginPage.blank("Tessera", "Web", "c", "r", null).withRegisterUrl("javascript:x"));
    }

    @Test
    void formPostParametersAreACopyTheCallerCannotChangeLater() {
        Map<String, String> params = new HashMap<>(Map.of("code", "abc"));
        FormPostPage page = new FormPostPage("Tessera", "Web", "https://app.example.com/cb", params);

        params.put("injected", "value");

        assertThat(page.parameters()).containsOnlyKeys("code");
    }

    @Test
    void aFailedAttemptCarriesTheGenericMessageAndAFreshCsrfToken() {
        LoginPage retry = LoginPage.blank("Tessera", "Web", "old", "r", null).afterFailedAttempt("alice", "new");

        assertThat(retry.errorMessage()).isEqualTo(LoginPage.BAD_CREDENTIALS);
        assertThat(retry.csrfToken()).isEqualTo("new");
        assertThat(retry.username()).isEqualTo("alice");
    }
}
