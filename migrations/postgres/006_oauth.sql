-- OAuth: the pool's domains (hosted UI and authorization server) and its resource servers with
-- their custom scopes. Both go with their pool.

-- A domain name is unique across the whole server, as a prefix is across an AWS region; a pool has
-- at most one domain of each kind ('prefix', 'custom'). Both are unique indexes, so racing creates
-- settle in the database: one insert wins, the others change nothing.
CREATE TABLE user_pool_domains (
  domain     TEXT COLLATE "C" PRIMARY KEY,
  pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  settings   JSON NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX user_pool_domains_one_per_kind ON user_pool_domains (pool_id, kind);

-- Scopes are a JSON array of {ScopeName, ScopeDescription}, in the order given.
CREATE TABLE resource_servers (
  pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
  identifier TEXT COLLATE "C" NOT NULL,
  name       TEXT NOT NULL,
  scopes     JSON NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (pool_id, identifier)
);
