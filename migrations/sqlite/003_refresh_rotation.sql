-- Refresh-token rotation (sign-in spec §10.7): when GetTokensFromRefreshToken rotated a token out.
-- Null for every token issued before this migration and for every token never rotated, which is
-- what they are; the submitted token stays usable for the client's grace period after this time.
ALTER TABLE refresh_tokens ADD COLUMN rotated_at INTEGER;
