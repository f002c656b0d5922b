package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.UsedJtiStore;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public interface UsedJtiStoreContract extends StoreFixture {

    private UsedJtiStore jtis() {
        return stores().usedJtis();
    }

    private Instant inFiveMinutes() {
        return clock().instant().plusSeconds(300);
    }

    @Test
    default void firstMarkUsedReturnsTrue() {
        assertThat(jtis().markUsed("https://idp.example", "jti-1", inFiveMinutes())).isTrue();
    }

    @Test
    default void secondMarkUsedReturnsFalse() {
        jtis().markUsed("https://idp.example", "jti-1", inFiveMinutes());

        assertThat(jtis().markUsed("https://idp.example", "jti-1", inFiveMinutes())).isFalse();
    }

    @Test
    default void sameJtiFromAnotherIssuerIsIndependent() {
        jtis().markUsed("https://idp.example", "jti-1", inFiveMinutes());

        assertThat(jtis().markUsed("https://other-idp.example", "jti-1", inFiveMinutes())).isTrue();
    }

    @Test
    default void concurrentMarkUsedHasOneWinner() throws Exception {
        Instant expiresAt = inFiveMinutes();

        List<Boolean> results = Concurrently.run(16, () -> jtis().markUsed("https://idp.example", "jti-race", expiresAt));

        assertThat(results).containsOnlyOnce(true);
    }

    @Test
    default void duplicateInsideATransactionLeavesTheTransactionUsable() {
        jtis().markUsed("https://idp.example", "jti-1", inFiveMinutes());

        boolean later = stores().transactor().inTransaction(() -> {
            assertThat(jtis().markUsed("https://idp.example", "jti-1", inFiveMinutes())).isFalse();
            return jtis().markUsed("https://idp.example", "jti-2", inFiveMinutes());
        });

        assertThat(later).isTrue();
        assertThat(jtis().markUsed("https://idp.example", "jti-2", inFiveMinutes())).isFalse();
    }
}
