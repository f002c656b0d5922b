package dev.tessera.server.application.port;

import dev.tessera.server.domain.user.User;

import java.util.List;
import java.util.Optional;

/** Users, keyed by immutable id, with a unique username. */
public interface UserStore {
    /** Inserts or replaces the user with this id. A username taken by another id is an IllegalStateException. */
    void upsert(User user);

    /**
     * Adds a new user unless the username is taken, compared without regard to case, so a self-chosen "alice"
     * cannot pose as an operator's "Alice". Atomic across instances: of any number of concurrent calls for one
     * name exactly one returns true. Never replaces a user.
     */
    boolean create(User user);

    /** Replaces the password hash of the user with this id, and nothing else; false when there is no such user. */
    boolean setPasswordHash(String id, String passwordHash);

    Optional<User> findById(String id);

    Optional<User> findByUsername(String username);

    /** The local user linked to an account at a trusted issuer (SPEC §6). */
    Optional<User> findByLink(String issuer, String subject);

    List<User> list();
}
