-- Sign-in: credentials and lockout on the user row, challenge sessions, refresh tokens, signing keys.
-- Every new column has a default or is nullable, so rows written before this migration stay valid.

-- The SRP verifier is sealed with the master key: a database dump must not give an offline
-- dictionary attack anything the argon2id hash does not already guard. Users created before this
-- migration have none until their password is next set.
ALTER TABLE users ADD COLUMN srp_salt TEXT;
ALTER TABLE users ADD COLUMN srp_verifier TEXT;
ALTER TABLE users ADD COLUMN password_set_at INTEGER;
ALTER TABLE users ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_attempt_at INTEGER NOT NULL DEFAULT 0;
-- The best record of when an existing password was set; later than the truth at worst, which
-- lengthens a temporary password's validity rather than expiring it early.
UPDATE users SET password_set_at = updated_at WHERE password_hash IS NOT NULL;

-- Sessions from before sign-in existed cannot be told apart; SIGN_UP is the kind that signs nobody in.
ALTER TABLE sessions ADD COLUMN challenge TEXT NOT NULL DEFAULT 'SIGN_UP';
ALTER TABLE sessions ADD COLUMN sealed_state TEXT;
ALTER TABLE sessions ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN used_at INTEGER;
-- The bounded prune on insert reads the oldest expired rows through this index.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Only a keyed digest of each token is kept. A family is every token of one sign-in (origin_jti);
-- the rows go with their user, so a user created again under the same name inherits no token.
CREATE TABLE refresh_tokens (
  digest       TEXT PRIMARY KEY,
  pool_id      TEXT NOT NULL,
  client_id    TEXT NOT NULL,
  username_key TEXT NOT NULL,
  origin_jti   TEXT NOT NULL,
  auth_time    INTEGER NOT NULL,
  issued_at    INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER,
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (pool_id, origin_jti);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (pool_id, username_key);

CREATE TABLE signing_keys (
  pool_id            TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
  kid                TEXT NOT NULL,
  key_use            TEXT NOT NULL CHECK (key_use IN ('id', 'access')),
  sealed_private_key TEXT NOT NULL,
  public_jwk         TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  retired_at         INTEGER,
  PRIMARY KEY (pool_id, kid)
);
-- At most one current key per use: two instances creating a pool's first keys cannot both win.
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (pool_id, key_use) WHERE retired_at IS NULL;
