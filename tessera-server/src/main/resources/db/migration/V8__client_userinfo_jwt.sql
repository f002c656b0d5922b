-- Signed (and optionally encrypted) userinfo answers, OIDC Core §5.3.2: the client's signing algorithm and
-- its JWE settings as JSON text, the same shape as id_token_encryption. NULL keeps the plain JSON answer.
ALTER TABLE clients ADD COLUMN userinfo_signed_response_alg VARCHAR(32);
ALTER TABLE clients ADD COLUMN userinfo_encryption VARCHAR;
