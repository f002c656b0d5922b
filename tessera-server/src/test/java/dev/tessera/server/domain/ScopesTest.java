package dev.tessera.server.domain;

import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopesTest {
    @Test
    void parsesSpaceDelimitedScopesKeepingOrderAndDroppingRepeats() {
        assertThat(Scopes.parse("openid  email openid profile").asString()).isEqualTo("openid email profile");
    }

    @Test
    void missingOrBlankScopeIsEmpty() {
        assertThat(Scopes.parse(null).isEmpty()).isTrue();
        assertThat(Scopes.parse("  ").isEmpty()).isTrue();
    }

    @Test
    void rejectsCharactersOutsideRfc6749ScopeTokenSyntax() {
        assertThatThrownBy(() -> Scopes.parse("openid ema\"il"))
                .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.error()).isEqualTo(OAuthError.INVALID_SCOPE));
        assertThatThrownBy(() -> Scopes.parse("openid\temail")).isInstanceOf(OAuthException.class);
        assertThatThrownBy(() -> Scopes.parse("caf\u00e9")).isInstanceOf(OAuthException.class);
    }

    @Test
    void narrowingAndIntersection() {
        Scopes granted = Scopes.parse("openid profile email");
        assertThat(granted.containsAll(Scopes.parse("email openid"))).isTrue();
        assertThat(granted.containsAll(Scopes.parse("email admin"))).isFalse();
        assertThat(Scopes.parse("email admin").without(granted).asString()).isEqualTo("admin");
        assertThat(Scopes.parse("email admin").intersect(granted).asString()).isEqualTo("email");
    }
}
