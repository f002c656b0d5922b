-- private_key_jwt (OIDC Core §9, RFC 7523 §2.2): where a client publishes its public keys (jwks_uri), or the
-- keys themselves as JWK Set JSON (jwks). Public keys only; at most one of the two is set.
ALTER TABLE clients ADD COLUMN jwks_uri VARCHAR(2048);
ALTER TABLE clients ADD COLUMN jwks VARCHAR;
