-- Tessera baseline schema. Portable: the same file runs on H2 (regular mode) and PostgreSQL.
-- Conventions: TIMESTAMP columns hold UTC wall time (no time zone); *_hash columns hold
-- SHA-256 base64url of a bearer secret, never the secret; unbounded VARCHAR columns hold JSON
-- text or space-delimited scopes. Names avoid words H2 reserves (KEY, VALUE, USER).

CREATE TABLE clients (
    id                          VARCHAR(255)  NOT NULL PRIMARY KEY,
    name                        VARCHAR(255),
    secret_hash                 VARCHAR(512),
    public_client               BOOLEAN       NOT NULL,
    redirect_uris               VARCHAR       NOT NULL,
    post_logout_redirect_uris   VARCHAR       NOT NULL,
    grant_types                 VARCHAR       NOT NULL,
    scopes                      VARCHAR,
    auth_method                 VARCHAR(64),
    audience                    VARCHAR       NOT NULL,
    claims                      VARCHAR       NOT NULL,
    consent                     VARCHAR(32),
    access_token_ttl_ms         BIGINT,
    id_token_ttl_ms             BIGINT,
    subject_type                VARCHAR(32),
    id_token_signing_alg        VARCHAR(32),
    id_token_encryption         VARCHAR,
    introspect                  BOOLEAN       NOT NULL,
    id_jag                      VARCHAR       NOT NULL,
    access_token_format         VARCHAR(16),
    sector_identifier           VARCHAR(2048),
    enabled                     BOOLEAN       NOT NULL
);

CREATE TABLE users (
    id                VARCHAR(255) NOT NULL PRIMARY KEY,
    username          VARCHAR(255) NOT NULL,
    password_hash     VARCHAR(512),
    roles             VARCHAR      NOT NULL,
    claims            VARCHAR      NOT NULL,
    verified_claims   VARCHAR      NOT NULL,
    enabled           BOOLEAN      NOT NULL,
    CONSTRAINT uq_users_username UNIQUE (username)
);

-- One row per linked account at a trusted issuer, so (issuer, subject) lookups use the key.
CREATE TABLE user_links (
    issuer     VARCHAR(1024) NOT NULL,
    subject    VARCHAR(255)  NOT NULL,
    user_id    VARCHAR(255)  NOT NULL,
    link_order INT           NOT NULL,
    CONSTRAINT pk_user_links PRIMARY KEY (issuer, subject),
    CONSTRAINT fk_user_links_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_user_links_user ON user_links (user_id);

CREATE TABLE authorization_codes (
    hash              VARCHAR(128) NOT NULL PRIMARY KEY,
    grant_id          VARCHAR(255) NOT NULL,
    client_id         VARCHAR(255) NOT NULL,
    user_id           VARCHAR(255) NOT NULL,
    redirect_uri      VARCHAR(2048),
    pkce_challenge    VARCHAR(128),
    nonce             VARCHAR,
    scopes            VARCHAR,
    auth_time         TIMESTAMP,
    acr               VARCHAR(255),
    amr               VARCHAR,
    session_id        VARCHAR(255),
    claims_request    VARCHAR,
    resources         VARCHAR      NOT NULL,
    issued_at         TIMESTAMP    NOT NULL,
    expires_at        TIMESTAMP    NOT NULL,
    used_at           TIMESTAMP
);
CREATE INDEX ix_authorization_codes_expires ON authorization_codes (expires_at);

CREATE TABLE refresh_tokens (
    hash               VARCHAR(128) NOT NULL PRIMARY KEY,
    grant_id           VARCHAR(255) NOT NULL,
    client_id          VARCHAR(255) NOT NULL,
    user_id            VARCHAR(255),
    scopes             VARCHAR,
    auth_time          TIMESTAMP,
    acr                VARCHAR(255),
    amr                VARCHAR,
    session_id         VARCHAR(255),
    resources          VARCHAR      NOT NULL,
    issued_at          TIMESTAMP    NOT NULL,
    expires_at         TIMESTAMP    NOT NULL,
    family_expires_at  TIMESTAMP    NOT NULL,
    rotated_at         TIMESTAMP,
    revoked_at         TIMESTAMP
);
CREATE INDEX ix_refresh_tokens_grant ON refresh_tokens (grant_id);
CREATE INDEX ix_refresh_tokens_family_expires ON refresh_tokens (family_expires_at);

-- issued_at is NULL for a jti revoked before (or without) being recorded here.
CREATE TABLE access_tokens (
    jti            VARCHAR(255) NOT NULL PRIMARY KEY,
    grant_id       VARCHAR(255),
    client_id      VARCHAR(255),
    subject        VARCHAR(255),
    opaque_hash    VARCHAR(128),
    opaque_claims  VARCHAR,
    issued_at      TIMESTAMP,
    expires_at     TIMESTAMP    NOT NULL,
    revoked_at     TIMESTAMP
);
CREATE INDEX ix_access_tokens_grant ON access_tokens (grant_id);
CREATE INDEX ix_access_tokens_expires ON access_tokens (expires_at);
CREATE UNIQUE INDEX uq_access_tokens_opaque_hash ON access_tokens (opaque_hash);

CREATE TABLE consents (
    user_id     VARCHAR(255) NOT NULL,
    client_id   VARCHAR(255) NOT NULL,
    scopes      VARCHAR      NOT NULL,
    granted_at  TIMESTAMP    NOT NULL,
    CONSTRAINT pk_consents PRIMARY KEY (user_id, client_id)
);

CREATE TABLE login_sessions (
    hash        VARCHAR(128) NOT NULL PRIMARY KEY,
    sid         VARCHAR(255) NOT NULL,
    user_id     VARCHAR(255) NOT NULL,
    auth_time   TIMESTAMP,
    acr         VARCHAR(255),
    amr         VARCHAR,
    created_at  TIMESTAMP    NOT NULL,
    expires_at  TIMESTAMP    NOT NULL
);
CREATE INDEX ix_login_sessions_sid ON login_sessions (sid);
CREATE INDEX ix_login_sessions_expires ON login_sessions (expires_at);

CREATE TABLE used_jtis (
    issuer      VARCHAR(1024) NOT NULL,
    jti         VARCHAR(255)  NOT NULL,
    expires_at  TIMESTAMP     NOT NULL,
    CONSTRAINT pk_used_jtis PRIMARY KEY (issuer, jti)
);
CREATE INDEX ix_used_jtis_expires ON used_jtis (expires_at);

-- Fixed windows: one row per key, window length and window start.
CREATE TABLE rate_limits (
    bucket        VARCHAR(512) NOT NULL,
    window_ms     BIGINT       NOT NULL,
    window_start  TIMESTAMP    NOT NULL,
    hits          INT          NOT NULL,
    expires_at    TIMESTAMP    NOT NULL,
    CONSTRAINT pk_rate_limits PRIMARY KEY (bucket, window_ms, window_start)
);
CREATE INDEX ix_rate_limits_expires ON rate_limits (expires_at);
