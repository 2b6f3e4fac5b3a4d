-- Initial schema, the PostgreSQL twin of migrations/sqlite/001_initial.sql. Times are epoch
-- milliseconds in BIGINT; JSON columns use `json`, not `jsonb`, so settings and attributes come back
-- exactly as the API took them (key order included). Key columns use the "C" collation so that
-- cursor order is byte order, as in SQLite, whatever the database's default collation.

CREATE TABLE meta (
  key   TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE user_pools (
  id         TEXT COLLATE "C" PRIMARY KEY,
  name       TEXT NOT NULL,
  settings   JSON NOT NULL,
  limits     JSON NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE clients (
  client_id  TEXT COLLATE "C" PRIMARY KEY,
  pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  settings   JSON NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX clients_by_pool ON clients (pool_id, client_id);

CREATE TABLE client_secrets (
  secret_id  TEXT COLLATE "C" PRIMARY KEY,
  client_id  TEXT COLLATE "C" NOT NULL REFERENCES clients(client_id) ON DELETE CASCADE,
  sealed     TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX client_secrets_by_client ON client_secrets (client_id);

CREATE TABLE users (
  pool_id       TEXT COLLATE "C" NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
  username_key  TEXT COLLATE "C" NOT NULL,
  username      TEXT COLLATE "C" NOT NULL,
  sub           TEXT COLLATE "C" NOT NULL,
  status        TEXT COLLATE "C" NOT NULL,
  enabled       BOOLEAN NOT NULL,
  attributes    JSON NOT NULL,
  password_hash TEXT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (pool_id, username_key)
);
CREATE UNIQUE INDEX users_by_sub ON users (pool_id, sub);

-- Active sign-in aliases; the primary key is what makes an alias belong to one user at a time.
CREATE TABLE aliases (
  pool_id      TEXT COLLATE "C" NOT NULL,
  attribute    TEXT COLLATE "C" NOT NULL,
  value_key    TEXT COLLATE "C" NOT NULL,
  username_key TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (pool_id, attribute, value_key),
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);
CREATE INDEX aliases_by_user ON aliases (pool_id, username_key);

CREATE TABLE signup_codes (
  pool_id      TEXT COLLATE "C" NOT NULL,
  username_key TEXT COLLATE "C" NOT NULL,
  digest       TEXT NOT NULL,
  delivered_to TEXT,
  expires_at   BIGINT NOT NULL,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (pool_id, username_key),
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);

-- One row per counted call; the sliding window is a range scan on this index.
CREATE TABLE attempts (
  pool_id      TEXT COLLATE "C" NOT NULL,
  username_key TEXT COLLATE "C" NOT NULL,
  action       TEXT COLLATE "C" NOT NULL,
  at           BIGINT NOT NULL
);
CREATE INDEX attempts_window ON attempts (pool_id, username_key, action, at);

CREATE TABLE sessions (
  digest       TEXT COLLATE "C" PRIMARY KEY,
  pool_id      TEXT COLLATE "C" NOT NULL,
  username_key TEXT COLLATE "C" NOT NULL,
  client_id    TEXT COLLATE "C" NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (pool_id, username_key);

CREATE TABLE outbox (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  pool_id         TEXT COLLATE "C" NOT NULL,
  username        TEXT COLLATE "C" NOT NULL,
  medium          TEXT NOT NULL,
  destination     TEXT NOT NULL,
  sealed_payload  TEXT NOT NULL,
  status          TEXT COLLATE "C" NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until     BIGINT,
  last_error      TEXT,
  created_at      BIGINT NOT NULL,
  sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_user ON outbox (pool_id, username);
