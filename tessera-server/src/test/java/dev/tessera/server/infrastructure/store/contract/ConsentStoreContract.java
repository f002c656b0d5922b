package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.ConsentStore;
import dev.tessera.server.domain.authz.Consent;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

public interface ConsentStoreContract extends StoreFixture {

    private ConsentStore consents() {
        return stores().consents();
    }

    @Test
    default void savedConsentIsFound() {
        Consent consent = new Consent("user-1", "client-a", Scopes.of("openid", "email"), clock().instant());

        consents().save(consent);

        assertThat(consents().find("user-1", "client-a")).contains(consent);
    }

    @Test
    default void savingAgainReplacesTheEarlierConsent() {
        consents().save(new Consent("user-1", "client-a", Scopes.of("openid", "email"), clock().instant()));
        clock().advance(Duration.ofDays(1));
        Consent narrower = new Consent("user-1", "client-a", Scopes.of("openid"), clock().instant());

        consents().save(narrower);

        assertThat(consents().find("user-1", "client-a")).contains(narrower);
    }

    @Test
    default void theClaimsAUserAllowedRoundTripWithTheScopes() {
        Consent consent = new Consent("user-1", "client-a", Scopes.of("openid"),
                Set.of("email", "phone_number", "verified_claims/given_name"), clock().instant());

        consents().save(consent);

        assertThat(consents().find("user-1", "client-a")).hasValueSatisfying(found -> {
            assertThat(found.claims()).containsExactlyInAnyOrder("email", "phone_number", "verified_claims/given_name");
            assertThat(found.scopes()).isEqualTo(Scopes.of("openid"));
        });
    }

    @Test
    default void savingAgainReplacesTheClaimsToo() {
        consents().save(new Consent("user-1", "client-a", Scopes.of("openid"), Set.of("email"), clock().instant()));

        consents().save(new Consent("user-1", "client-a", Scopes.of("openid"), Set.of("birthdate"), clock().instant()));

        assertThat(consents().find("user-1", "client-a").orElseThrow().claims()).containsExactly("birthdate");
    }

    @Test
    default void aConsentToScopesOnlyHasNoClaims() {
        consents().save(new Consent("user-1", "client-a", Scopes.of("openid"), clock().instant()));

        assertThat(consents().find("user-1", "client-a").orElseThrow().claims()).isEmpty();
    }

    @Test
    default void consentsAreKeptPerUserAndClient() {
        consents().save(new Consent("user-1", "client-a", Scopes.of("openid"), clock().instant()));

        assertThat(consents().find("user-1", "client-b")).isEmpty();
        assertThat(consents().find("user-2", "client-a")).isEmpty();
    }

    @Test
    default void revokeRemovesOnlyThatConsent() {
        consents().save(new Consent("user-1", "client-a", Scopes.of("openid"), clock().instant()));
        consents().save(new Consent("user-1", "client-b", Scopes.of("openid"), clock().instant()));

        consents().revoke("user-1", "client-a");

        assertThat(consents().find("user-1", "client-a")).isEmpty();
        assertThat(consents().find("user-1", "client-b")).isPresent();
    }
}
