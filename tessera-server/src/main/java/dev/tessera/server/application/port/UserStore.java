package dev.tessera.server.application.port;

import dev.tessera.server.domain.user.User;

import java.util.List;
import java.util.Optional;

/** Users, keyed by immutable id, with a unique username. */
public interface UserStore {
    /** Inserts or replaces the user with this id. A username taken by another id is an IllegalStateException. */
    void upsert(User user);

    Optional<User> findById(String id);

    Optional<User> findByUsername(String username);

    /** The local user linked to an account at a trusted issuer (SPEC §6). */
    Optional<User> findByLink(String issuer, String subject);

    List<User> list();
}
