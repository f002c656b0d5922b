package dev.tessera.server.http.view;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeDescriptionsTest {

    @Test
    void describesTheStandardOpenIdScopesInPlainWords() {
        assertThat(ScopeDescriptions.describe("openid").description()).isEqualTo("Confirm it's you (your account ID)");
        assertThat(ScopeDescriptions.describe("profile").description()).isEqualTo("See your name and profile details");
        assertThat(ScopeDescriptions.describe("email").description()).isEqualTo("See your email address");
        assertThat(ScopeDescriptions.describe("address").description()).isEqualTo("See your postal address");
        assertThat(ScopeDescriptions.describe("phone").description()).isEqualTo("See your phone number");
        assertThat(ScopeDescriptions.describe("offline_access").description())
                .isEqualTo("Stay signed in when you're not using the app");
    }

    @Test
    void namesAnUnknownScopeInANeutralSentence() {
        ScopeDescription described = ScopeDescriptions.describe("todo.read");

        assertThat(described.scope()).isEqualTo("todo.read");
        assertThat(described.description()).contains("todo.read").doesNotContain("See your");
    }

    @Test
    void matchesScopesCaseSensitivelyAsRfc6749Requires() {
        // RFC 6749 §3.3: scope strings are case-sensitive, so "EMAIL" is not "email"
        assertThat(ScopeDescriptions.describe("EMAIL").description()).contains("EMAIL");
    }

    @Test
    void keepsTheRequestedOrder() {
        assertThat(ScopeDescriptions.describeAll(List.of("offline_access", "openid", "email")))
                .extracting(ScopeDescription::scope).containsExactly("offline_access", "openid", "email");
    }
}
