package dev.tessera.server.infrastructure.store.contract;

import dev.tessera.server.application.port.ServerSecretStore;
import dev.tessera.server.infrastructure.store.StoreFixture;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

public interface ServerSecretStoreContract extends StoreFixture {

    private ServerSecretStore secrets() {
        return stores().secrets();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    default void theFirstCandidateIsStoredAndReturnedToEveryLaterCaller() {
        assertThat(secrets().getOrCreate("csrf", bytes("first candidate"), clock().instant())).isEqualTo(bytes("first candidate"));

        assertThat(secrets().getOrCreate("csrf", bytes("second candidate"), clock().instant()))
                .isEqualTo(bytes("first candidate"));
    }

    @Test
    default void secretsOfDifferentNamesAreKeptApart() {
        secrets().getOrCreate("csrf", bytes("for csrf"), clock().instant());

        assertThat(secrets().getOrCreate("other", bytes("for other"), clock().instant())).isEqualTo(bytes("for other"));
    }

    @Test
    default void instancesStartingTogetherAllGetTheSameSecret() throws Exception {
        AtomicInteger next = new AtomicInteger();

        List<String> results = Concurrently.run(16, () -> new String(secrets().getOrCreate("csrf",
                bytes("candidate-" + next.incrementAndGet()), clock().instant()), StandardCharsets.UTF_8));

        assertThat(results).hasSize(16).containsOnly(results.get(0));
        assertThat(results.get(0)).startsWith("candidate-");
    }
}
