package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.AuthorizationCodeStore.Redemption;
import dev.tessera.server.application.port.Transactor;
import dev.tessera.server.domain.authz.AuthorizationCode;
import dev.tessera.server.domain.authz.Consent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public interface TransactorContract extends StoreFixture {

    private Transactor transactor() {
        return stores().transactor();
    }

    private Consent consent(String clientId) {
        return new Consent("user-1", clientId, Scopes.of("openid"), clock().instant());
    }

    @Test
    default void committedWorkIsVisibleAfterwards() {
        String result = transactor().inTransaction(() -> {
            stores().consents().save(consent("client-a"));
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(stores().consents().find("user-1", "client-a")).isPresent();
    }

    @Test
    default void exceptionRollsBackEverythingWrittenInTheTransaction() {
        assertThatThrownBy(() -> transactor().inTransaction(() -> {
            stores().consents().save(consent("client-a"));
            stores().usedJtis().markUsed("https://idp.example", "jti-1", clock().instant().plusSeconds(60));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(stores().consents().find("user-1", "client-a")).isEmpty();
        assertThat(stores().usedJtis().markUsed("https://idp.example", "jti-1", clock().instant().plusSeconds(60))).isTrue();
    }

    @Test
    default void nestedCallsJoinTheOuterTransaction() {
        assertThatThrownBy(() -> transactor().inTransaction(() -> {
            transactor().inTransaction(() -> {
                stores().consents().save(consent("client-inner"));
                return null;
            });
            throw new IllegalStateException("outer fails after inner finished");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(stores().consents().find("user-1", "client-inner")).isEmpty();
    }

    @Test
    default void storeCallsInsideATransactionSeeItsUncommittedWrites() {
        AuthorizationCode code = StoreSamples.code(StoreSamples.newHash(), GrantId.random(), clock().instant(),
                Duration.ofSeconds(60));

        Redemption redemption = transactor().inTransaction(() -> {
            stores().codes().save(code);
            return stores().codes().redeem(code.hash(), clock().instant());
        });

        assertThat(redemption).isInstanceOf(Redemption.Redeemed.class);
    }

    @Test
    default void aFailedTransactionLeavesTheThreadFreeForTheNextOne() {
        assertThatThrownBy(() -> transactor().inTransaction(() -> {
            throw new IllegalArgumentException("first");
        })).isInstanceOf(IllegalArgumentException.class);

        transactor().inTransaction(() -> {
            stores().consents().save(consent("client-a"));
            return null;
        });

        assertThat(stores().consents().find("user-1", "client-a")).isPresent();
    }
}
