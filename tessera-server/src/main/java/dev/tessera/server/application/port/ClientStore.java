package dev.tessera.server.application.port;

import dev.tessera.server.domain.client.Client;

import java.util.List;
import java.util.Optional;

/** Registered clients. */
public interface ClientStore {
    /** Inserts or replaces the client with this id. */
    void upsert(Client client);

    Optional<Client> find(String clientId);

    List<Client> list();

    /** @return true when a client was removed */
    boolean remove(String clientId);
}
