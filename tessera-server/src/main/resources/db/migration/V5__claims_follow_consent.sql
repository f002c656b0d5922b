-- Claim release follows consent (SPEC §5). A consent remembers the claims the user allowed one by one
-- beyond the scopes (JSON array of names; verified ones as verified_claims/<name>); earlier rows allowed none.
ALTER TABLE consents ADD COLUMN claims VARCHAR DEFAULT '[]' NOT NULL;

-- The claims request (OIDC Core §5.5, the JSON the client sent) travels with the grant, so every refresh
-- and every userinfo call answer the same request. NULL = none.
ALTER TABLE refresh_tokens ADD COLUMN claims_request VARCHAR;
ALTER TABLE access_tokens ADD COLUMN claims_request VARCHAR;
