package dev.tessera.server.infrastructure.store;

import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.domain.client.Client;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Client reads are kept for a second; writes through the cache show at once, changes elsewhere within the TTL. */
class CachedClientStoreTest {
    private final CountingStore store = new CountingStore();
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final CachedClientStore cache = new CachedClientStore(store, Duration.ofSeconds(1), nanos::get);

    @Test
    void aClientReadTwiceWithinTheTtlIsReadFromTheStoreOnce() {
        store.clients.put("web", Client.builder("web").secretHash("sha256$a$b").build());

        assertThat(cache.find("web")).get().extracting(Client::secretHash).isEqualTo("sha256$a$b");
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(cache.find("web")).isPresent();

        assertThat(store.reads).isEqualTo(1);
    }

    @Test
    void aChangeMadeElsewhereIsSeenOnceTheTtlHasPassed() {
        store.clients.put("web", Client.builder("web").secretHash("sha256$a$old").build());
        cache.find("web");
        // another process (tessera clients add/remove) changes the store behind this cache's back
        store.clients.put("web", Client.builder("web").secretHash("sha256$a$new").enabled(false).build());

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(cache.find("web")).get().extracting(Client::secretHash, Client::enabled)
                .containsExactly("sha256$a$new", false);
    }

    @Test
    void aClientRemovedElsewhereIsGoneOnceTheTtlHasPassed() {
        store.clients.put("web", Client.builder("web").build());
        cache.find("web");
        store.clients.remove("web");

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(cache.find("web")).isEmpty();
    }

    @Test
    void writesThroughTheCacheAreSeenAtOnce() {
        cache.upsert(Client.builder("web").secretHash("sha256$a$one").build());
        cache.find("web");
        cache.upsert(Client.builder("web").secretHash("sha256$a$two").build());

        assertThat(cache.find("web")).get().extracting(Client::secretHash).isEqualTo("sha256$a$two");
        assertThat(cache.remove("web")).isTrue();
        assertThat(cache.find("web")).isEmpty();
    }

    @Test
    void unknownIdsAreNeverCached() {
        for (int i = 0; i < 3; i++) {
            assertThat(cache.find("nobody")).isEmpty();
        }

        assertThat(store.reads).isEqualTo(3);
    }

    private static final class CountingStore implements ClientStore {
        final Map<String, Client> clients = new ConcurrentHashMap<>();
        int reads;

        @Override
        public void upsert(Client client) {
            clients.put(client.id(), client);
        }

        @Override
        public Optional<Client> find(String clientId) {
            reads++;
            return Optional.ofNullable(clients.get(clientId));
        }

        @Override
        public List<Client> list() {
            return new ArrayList<>(clients.values());
        }

        @Override
        public boolean remove(String clientId) {
            return clients.remove(clientId) != null;
        }
    }
}
