package dev.tessera.server.domain;

import dev.tessera.server.domain.client.RedirectUris;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectUrisTest {
    private final RedirectUris uris = new RedirectUris(List.of(
            "https://app.example.com/callback", "http://127.0.0.1/native", "http://[::1]/v6", "http://localhost:3000/cb"));

    @Test
    void matchesOnlyTheExactRegisteredString() {
        assertThat(uris.matches("https://app.example.com/callback")).isTrue();
        assertThat(uris.matches("https://app.example.com/callback/")).isFalse();
        assertThat(uris.matches("https://app.example.com/callback?x=1")).isFalse();
        assertThat(uris.matches("https://APP.example.com/callback")).isFalse();
        assertThat(uris.matches("https://app.example.com.evil.test/callback")).isFalse();
        assertThat(uris.matches(null)).isFalse();
    }

    @Test
    void loopbackIpLiteralsMayUseAnyPort() {
        // RFC 8252 §7.3
        assertThat(uris.matches("http://127.0.0.1:51234/native")).isTrue();
        assertThat(uris.matches("http://[::1]:8080/v6")).isTrue();
    }

    @Test
    void loopbackPortRuleDoesNotRelaxPathHostOrScheme() {
        assertThat(uris.matches("http://127.0.0.1:51234/other")).isFalse();
        assertThat(uris.matches("https://127.0.0.1:51234/native")).isFalse();
        assertThat(uris.matches("http://127.0.0.2:51234/native")).isFalse();
        assertThat(uris.matches("http://127.0.0.1:51234/native#frag")).isFalse();
    }

    @Test
    void localhostNameGetsNoPortRelaxation() {
        // RFC 8252 §8.3 recommends IP literals; a registered localhost URI matches exactly only.
        assertThat(uris.matches("http://localhost:3000/cb")).isTrue();
        assertThat(uris.matches("http://localhost:4000/cb")).isFalse();
    }

    @Test
    void defaultOnlyWhenExactlyOneIsRegistered() {
        assertThat(uris.defaultUri()).isEmpty();
        assertThat(new RedirectUris(List.of("https://a.example/cb")).defaultUri()).contains("https://a.example/cb");
    }
}
