-- Sign-in, the PostgreSQL twin of migrations/sqlite/002_sign_in.sql: credentials and lockout on the
-- user row, challenge sessions, refresh tokens, signing keys. Every new column has a default or is
-- nullable, so rows written before this migration stay valid and running instances keep working
-- (their statements name their columns).

-- The SRP verifier is sealed with the master key: a database dump must not give an offline
-- dictionary attack anything the argon2id hash does not already guard. Users created before this
-- migration have none until their password is next set.
ALTER TABLE users
  ADD COLUMN srp_salt TEXT,
  ADD COLUMN srp_verifier TEXT,
  ADD COLUMN password_set_at BIGINT,
  ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN last_attempt_at BIGINT NOT NULL DEFAULT 0;
-- The best record of when an existing password was set; later than the truth at worst, which
-- lengthens a temporary password's validity rather than expiring it early.
UPDATE users SET password_set_at = updated_at WHERE password_hash IS NOT NULL;

-- Sessions from before sign-in existed cannot be told apart; SIGN_UP is the kind that signs nobody in.
ALTER TABLE sessions
  ADD COLUMN challenge TEXT COLLATE "C" NOT NULL DEFAULT 'SIGN_UP',
  ADD COLUMN sealed_state TEXT,
  ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN used_at BIGINT;
-- The bounded prune on insert reads the oldest expired rows through this index.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Only a keyed digest of each token is kept. A family is every token of one sign-in (origin_jti);
-- the rows go with their user, so a user created again under the same name inherits no token.
CREATE TABLE refresh_tokens (
  digest       TEXT COLLATE "C" PRIMARY KEY,
  pool_id      TEXT COLLATE "C" NOT NULL,
  client_id    TEXT COLLATE "C" NOT NULL,
  username_key TEXT COLLATE "C" NOT NULL,
  origin_jti   TEXT COLLATE "C" NOT NULL,
  auth_time    BIGINT NOT NULL,
  issued_at    BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  revoked_at   BIGINT,
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (pool_id, origin_jti);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (pool_id, username_key);

CREATE TABLE signing_keys (
  pool_id            TEXT COLLATE "C" NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
  kid                TEXT COLLATE "C" NOT NULL,
  key_use            TEXT COLLATE "C" NOT NULL CHECK (key_use IN ('id', 'access')),
  sealed_private_key TEXT NOT NULL,
  -- Text, not json: the JWK comes back byte for byte as it was stored.
  public_jwk         TEXT NOT NULL,
  created_at         BIGINT NOT NULL,
  retired_at         BIGINT,
  PRIMARY KEY (pool_id, kid)
);
-- At most one current key per use: two instances creating a pool's first keys cannot both win.
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (pool_id, key_use) WHERE retired_at IS NULL;
