-- Whether a confidential client must use PKCE (SPEC §3: required by default). V1 had no column for it,
-- so a client's requirePkce: false was lost on the way through the store; existing rows keep PKCE on.
ALTER TABLE clients ADD COLUMN require_pkce BOOLEAN DEFAULT TRUE NOT NULL;
