-- The successor each rotation handed out, so a retry inside tokens.refreshTokenReuseGrace can replace
-- exactly that token (and only while it is unused).
ALTER TABLE refresh_tokens ADD COLUMN replaced_by VARCHAR(128);
