-- keys.source: store (SPEC §7). Each private key is a private JWK sealed with AES-256-GCM under
-- keys.encryptionKey, which is not in this database; the kid and alg are bound to the ciphertext, so a sealed
-- key copied into another row does not open. A retired key keeps only its public half.
CREATE TABLE signing_keys (
    kid                 VARCHAR(64)  NOT NULL PRIMARY KEY,
    alg                 VARCHAR(16)  NOT NULL,
    public_jwk          VARCHAR      NOT NULL,
    sealed_private_jwk  VARCHAR,
    created_at          TIMESTAMP    NOT NULL,
    activates_at        TIMESTAMP    NOT NULL,
    activated_at        TIMESTAMP,
    retired_at          TIMESTAMP
);

-- One row per lock name; the instance whose conditional UPDATE takes an expired lease rotates the keys.
CREATE TABLE key_rotation_lock (
    name          VARCHAR(32)  NOT NULL PRIMARY KEY,
    holder        VARCHAR(128),
    locked_until  TIMESTAMP    NOT NULL
);
