package dev.tessera.server.infrastructure.store;

import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.domain.client.Client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Keeps each registered client this server read for a moment, because every authenticated request at /token,
 * /introspect and /revoke reads its client first: on PostgreSQL that read is a round trip per request. Only
 * what the store holds is cached; callers still check the presented secret or assertion against it every time.
 *
 * <p>Writes through this store (startup provisioning, the dev client) replace or drop the entry at once. A
 * change made elsewhere ({@code tessera clients add/remove} in another process, another instance) is seen here
 * within {@link #DEFAULT_TTL}: a removed client or a replaced secret keeps working on this instance for at most
 * that long. Unknown ids are never cached, so made-up ids cannot fill memory, and every miss reads the store
 * (the readiness probe relies on that); entries only exist for ids the store returned.
 */
public final class CachedClientStore implements ClientStore {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(1);

    private final ClientStore store;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Client client, long readAt) {
    }

    public CachedClientStore(ClientStore store, Duration ttl) {
        this(store, ttl, System::nanoTime);
    }

    CachedClientStore(ClientStore store, Duration ttl, LongSupplier nanoTime) {
        this.store = store;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<Client> find(String clientId) {
        long now = nanoTime.getAsLong();
        Entry entry = clientId == null ? null : entries.get(clientId);
        if (entry != null && now - entry.readAt() < ttlNanos) {
            return Optional.of(entry.client());
        }
        Optional<Client> found = store.find(clientId);
        if (found.isPresent()) {
            entries.put(clientId, new Entry(found.get(), now));
        } else if (clientId != null) {
            entries.remove(clientId);
        }
        return found;
    }

    @Override
    public void upsert(Client client) {
        entries.remove(client.id());
        store.upsert(client);
        entries.remove(client.id()); // a find racing the write may have cached the old row
    }

    @Override
    public List<Client> list() {
        return store.list();
    }

    @Override
    public boolean remove(String clientId) {
        entries.remove(clientId);
        boolean removed = store.remove(clientId);
        entries.remove(clientId);
        return removed;
    }
}
