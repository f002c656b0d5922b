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
