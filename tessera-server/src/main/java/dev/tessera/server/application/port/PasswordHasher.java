package dev.tessera.server.application.port;

/** User password hashing (Argon2id, PHC string format). */
public interface PasswordHasher {
    String hash(char[] password);

    /** Constant-time in the hash comparison; false for a malformed stored hash. */
    boolean verify(char[] password, String phcHash);

    /** Verifies against a fixed dummy hash so unknown usernames cost the same time as known ones. */
    void burnEquivalentTime(char[] password);
}
