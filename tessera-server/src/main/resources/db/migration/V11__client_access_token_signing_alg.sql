-- SPEC §2 clients[].accessTokenSigningAlg: the JWS algorithm of the client's JWT access tokens. Clients stored
-- before this column existed had RS256 access tokens, so that is their value.
ALTER TABLE clients ADD COLUMN access_token_signing_alg VARCHAR(32) DEFAULT 'RS256' NOT NULL;
