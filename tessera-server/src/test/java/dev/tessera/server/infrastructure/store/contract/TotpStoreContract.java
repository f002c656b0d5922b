package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.TotpSecretStore;
import dev.tessera.server.application.port.TotpStepStore;
import dev.tessera.server.domain.user.User;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The TOTP stores: a step is spent once per user, atomically; one sealed secret per user. */
public interface TotpStoreContract extends StoreFixture {

    private TotpStepStore steps() {
        return stores().totpSteps();
    }

    private TotpSecretStore secrets() {
        return stores().totpSecrets();
    }

    private static User user() {
        return new User("user-1", "alice", null, List.of(), Map.of(), Map.of(), List.of(), true);
    }

    private Instant inOneMinute() {
        return clock().instant().plusSeconds(60);
    }

    @Test
    default void aStepIsSpentOnce() {
        assertThat(steps().markUsed("user-1", 1000L, inOneMinute())).isTrue();

        assertThat(steps().markUsed("user-1", 1000L, inOneMinute())).isFalse();
    }

    @Test
    default void anotherUsersSameStepAndTheNextStepAreIndependent() {
        steps().markUsed("user-1", 1000L, inOneMinute());

        assertThat(steps().markUsed("user-2", 1000L, inOneMinute())).isTrue();
        assertThat(steps().markUsed("user-1", 1001L, inOneMinute())).isTrue();
    }

    @Test
    default void fiftyParallelSubmitsOfOneCodeSucceedOnce() throws Exception {
        Instant expiresAt = inOneMinute();

        List<Boolean> results = Concurrently.run(50, () -> steps().markUsed("user-race", 4242L, expiresAt));

        assertThat(results).hasSize(50).containsOnlyOnce(true);
    }

    @Test
    default void spentStepsArePurgedOnceTheyCanNoLongerBeAccepted() {
        steps().markUsed("user-1", 1000L, inOneMinute());
        steps().markUsed("user-1", 1001L, inOneMinute().plusSeconds(60));

        clock().advance(java.time.Duration.ofSeconds(61));
        int purged = steps().purgeExpired(clock().instant());

        assertThat(purged).isEqualTo(1);
        assertThat(steps().markUsed("user-1", 1001L, inOneMinute())).isFalse();
    }

    @Test
    default void aSecretIsSavedReplacedAndRemoved() {
        stores().users().upsert(user());

        assertThat(secrets().find("user-1")).isEmpty();
        assertThat(secrets().isEnrolled("user-1")).isFalse();

        secrets().save("user-1", "sealed-1", clock().instant());
        assertThat(secrets().find("user-1")).hasValue("sealed-1");
        assertThat(secrets().isEnrolled("user-1")).isTrue();

        secrets().save("user-1", "sealed-2", clock().instant());
        assertThat(secrets().find("user-1")).hasValue("sealed-2");

        assertThat(secrets().delete("user-1")).isTrue();
        assertThat(secrets().find("user-1")).isEmpty();
        assertThat(secrets().delete("user-1")).isFalse();
    }

    @Test
    default void concurrentFirstEnrolmentsLeaveOneSecret() throws Exception {
        stores().users().upsert(user());

        Concurrently.run(8, () -> {
            secrets().save("user-1", "sealed-" + Thread.currentThread().getId(), clock().instant());
            return true;
        });

        assertThat(secrets().find("user-1")).hasValueSatisfying(value -> assertThat(value).startsWith("sealed-"));
    }

    @Test
    default void upsertingTheUserAgainKeepsTheSecret() {
        stores().users().upsert(user());
        secrets().save("user-1", "sealed-1", clock().instant());

        stores().users().upsert(user());

        assertThat(secrets().find("user-1")).hasValue("sealed-1");
    }
}
