-- A confidential client may be registered with requirePkce: false (SPEC §3: PKCE is required "by
-- default for all"). V1 had no column for it, so the flag was lost on the way through the store.
-- Existing clients keep requiring PKCE.
ALTER TABLE clients ADD COLUMN require_pkce BOOLEAN DEFAULT TRUE NOT NULL;
