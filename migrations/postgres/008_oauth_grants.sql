-- OAuth grants of a domain (OML §4.3, §9): authorization codes and hosted-UI browser sessions.
-- Only keyed digests of the code and of the session cookie are kept, so a database dump holds
-- nothing a browser or a client could present. Both go with their user (and so with the pool).

-- A code is bound to everything the token request must repeat or the tokens must carry; used_at
-- is set by the one redemption that wins. Rows are kept a while past expiry so that a second
-- redemption is told "used" rather than "unknown", and are pruned as new codes are issued.
CREATE TABLE oauth_codes (
  digest         TEXT COLLATE "C" PRIMARY KEY,
  pool_id        TEXT COLLATE "C" NOT NULL,
  client_id      TEXT COLLATE "C" NOT NULL,
  username_key   TEXT COLLATE "C" NOT NULL,
  redirect_uri   TEXT NOT NULL,
  -- Text, not json: the granted scopes come back in grant order, byte for byte.
  scopes         TEXT NOT NULL,
  code_challenge TEXT,
  nonce          TEXT,
  auth_time      BIGINT NOT NULL,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,
  used_at        BIGINT,
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);
-- The cascade from a deleted user, and the prune of old rows.
CREATE INDEX oauth_codes_by_user ON oauth_codes (pool_id, username_key);
CREATE INDEX oauth_codes_by_expiry ON oauth_codes (expires_at);

-- The `cognito` cookie's session: one sign-in on the hosted pages, shared by every client of the pool.
CREATE TABLE browser_sessions (
  digest       TEXT COLLATE "C" PRIMARY KEY,
  pool_id      TEXT COLLATE "C" NOT NULL,
  username_key TEXT COLLATE "C" NOT NULL,
  auth_time    BIGINT NOT NULL,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  ended_at     BIGINT,
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);
CREATE INDEX browser_sessions_by_user ON browser_sessions (pool_id, username_key);
CREATE INDEX browser_sessions_by_expiry ON browser_sessions (expires_at);

-- The scopes a code granted, kept per token family (origin_jti) for the refresh_token grant: the
-- refresh-token rows are API sign-in's, shared with InitiateAuth, and carry no scopes of their own.
CREATE TABLE oauth_families (
  pool_id      TEXT COLLATE "C" NOT NULL,
  origin_jti   TEXT COLLATE "C" NOT NULL,
  client_id    TEXT COLLATE "C" NOT NULL,
  username_key TEXT COLLATE "C" NOT NULL,
  scopes       TEXT NOT NULL,
  expires_at   BIGINT NOT NULL,
  PRIMARY KEY (pool_id, origin_jti),
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);
CREATE INDEX oauth_families_by_user ON oauth_families (pool_id, username_key);
CREATE INDEX oauth_families_by_expiry ON oauth_families (expires_at);
