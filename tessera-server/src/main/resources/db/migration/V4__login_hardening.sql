-- Sign-in throttling that counts before the password check (SPEC §10): one row per key (user or client
-- address). Each attempt is a compare-and-set on revision, so instances racing on one key count each
-- free slot or elapsed wait once.
CREATE TABLE login_throttles (
    bucket      VARCHAR(512) NOT NULL PRIMARY KEY,
    attempts    INT          NOT NULL,
    not_before  TIMESTAMP    NOT NULL,
    expires_at  TIMESTAMP    NOT NULL,
    revision    BIGINT       NOT NULL
);
CREATE INDEX ix_login_throttles_expires ON login_throttles (expires_at);

-- The authorization request (SHA-256 of its parameters) whose sign-in started the session, so prompt=login
-- and max_age are satisfied by that sign-in only, never by an older session (OIDC Core §3.1.2.1).
ALTER TABLE login_sessions ADD COLUMN login_request VARCHAR(64);

-- Random keys every instance must share (the CSRF token key): the first instance to start stores one, the
-- others read it. base64url text.
CREATE TABLE server_secrets (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    secret      VARCHAR(128) NOT NULL,
    created_at  TIMESTAMP    NOT NULL
);

-- users set-password and users disable end every session of the user (OWASP ASVS 3.3.3).
CREATE INDEX ix_login_sessions_user ON login_sessions (user_id);
