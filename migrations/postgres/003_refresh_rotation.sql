-- Refresh-token rotation, the PostgreSQL twin of migrations/sqlite/003_refresh_rotation.sql: when
-- GetTokensFromRefreshToken rotated a token out. Nullable with no default, so adding it rewrites
-- nothing, and instances still running the previous version keep working (their statements name
-- their columns); null is also the truth for every token issued before it.
ALTER TABLE refresh_tokens ADD COLUMN rotated_at BIGINT;
