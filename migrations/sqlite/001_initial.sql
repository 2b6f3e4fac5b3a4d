-- Initial schema. Times are epoch milliseconds; JSON columns hold settings exactly as the API took them.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE user_pools (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  settings   TEXT NOT NULL,
  limits     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE clients (
  client_id  TEXT PRIMARY KEY,
  pool_id    TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  settings   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX clients_by_pool ON clients (pool_id, client_id);

CREATE TABLE client_secrets (
  secret_id  TEXT PRIMARY KEY,
  client_id  TEXT NOT NULL REFERENCES clients(client_id) ON DELETE CASCADE,
  sealed     TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX client_secrets_by_client ON client_secrets (client_id);

CREATE TABLE users (
  pool_id       TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
  username_key  TEXT NOT NULL,
  username      TEXT NOT NULL,
  sub           TEXT NOT NULL,
  status        TEXT NOT NULL,
  enabled       INTEGER NOT NULL,
  attributes    TEXT NOT NULL,
  password_hash TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (pool_id, username_key)
);
CREATE UNIQUE INDEX users_by_sub ON users (pool_id, sub);

-- Active sign-in aliases; the primary key is what makes an alias belong to one user at a time.
CREATE TABLE aliases (
  pool_id      TEXT NOT NULL,
  attribute    TEXT NOT NULL,
  value_key    TEXT NOT NULL,
  username_key TEXT NOT NULL,
  PRIMARY KEY (pool_id, attribute, value_key),
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);
CREATE INDEX aliases_by_user ON aliases (pool_id, username_key);

CREATE TABLE signup_codes (
  pool_id      TEXT NOT NULL,
  username_key TEXT NOT NULL,
  digest       TEXT NOT NULL,
  delivered_to TEXT,
  expires_at   INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (pool_id, username_key),
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);

-- One row per counted call; the sliding window is a range scan on this index.
CREATE TABLE attempts (
  pool_id      TEXT NOT NULL,
  username_key TEXT NOT NULL,
  action       TEXT NOT NULL,
  at           INTEGER NOT NULL
);
CREATE INDEX attempts_window ON attempts (pool_id, username_key, action, at);

CREATE TABLE sessions (
  digest       TEXT PRIMARY KEY,
  pool_id      TEXT NOT NULL,
  username_key TEXT NOT NULL,
  client_id    TEXT NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (pool_id, username_key);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  pool_id         TEXT NOT NULL,
  username        TEXT NOT NULL,
  medium          TEXT NOT NULL,
  destination     TEXT NOT NULL,
  sealed_payload  TEXT NOT NULL,
  status          TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_user ON outbox (pool_id, username);
