-- The second factor (RFC 6238 TOTP). Secrets are sealed with AES-256-GCM under a key that is not in this
-- database (see SecretCipher), bound to the user id; the column never holds a plaintext secret.
CREATE TABLE totp_secrets (
    user_id        VARCHAR(255) NOT NULL PRIMARY KEY,
    sealed_secret  VARCHAR(512) NOT NULL,
    enrolled_at    TIMESTAMP    NOT NULL,
    CONSTRAINT fk_totp_secrets_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- RFC 6238 §5.2: each accepted code's time step, once per user. The primary key makes the insert the single
-- use check; rows go once the step can no longer be accepted (expires_at), with the other expired rows.
CREATE TABLE totp_used_steps (
    user_id     VARCHAR(255) NOT NULL,
    step        BIGINT       NOT NULL,
    expires_at  TIMESTAMP    NOT NULL,
    CONSTRAINT pk_totp_used_steps PRIMARY KEY (user_id, step)
);
CREATE INDEX ix_totp_used_steps_expires ON totp_used_steps (expires_at);
