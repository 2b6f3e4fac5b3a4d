/** @module The SQLite config aggregate's statements: meta, pools, clients and client secrets, domains, resource servers. */

export const configSql = {
  metaGet: 'SELECT value FROM meta WHERE key = ?',
  metaInsert: 'INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)',
  poolInsert: 'INSERT OR IGNORE INTO user_pools (id, name, settings, limits, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  poolGet: 'SELECT * FROM user_pools WHERE id = ?',
  poolPage: 'SELECT * FROM user_pools WHERE id > ? ORDER BY id LIMIT ?',
  poolUpdate: 'UPDATE user_pools SET name = ?, settings = ?, limits = ?, updated_at = ? WHERE id = ?',
  poolDelete: 'DELETE FROM user_pools WHERE id = ?',
  clientInsert: 'INSERT OR IGNORE INTO clients (client_id, pool_id, name, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  clientGet: 'SELECT * FROM clients WHERE client_id = ?',
  clientPage: 'SELECT * FROM clients WHERE pool_id = ? AND client_id > ? ORDER BY client_id LIMIT ?',
  clientUpdate: 'UPDATE clients SET name = ?, settings = ?, updated_at = ? WHERE client_id = ?',
  clientDelete: 'DELETE FROM clients WHERE pool_id = ? AND client_id = ?',
  secretInsert: 'INSERT INTO client_secrets (secret_id, client_id, sealed, created_at) VALUES (?, ?, ?, ?)',
  secretsOf: 'SELECT * FROM client_secrets WHERE client_id = ? ORDER BY created_at, secret_id',
  secretCount: 'SELECT count(*) AS n FROM client_secrets WHERE client_id = ?',
  secretDelete: 'DELETE FROM client_secrets WHERE client_id = ? AND secret_id = ?',
  // Either unique index refuses the row; the two lookups after it tell which one did.
  domainInsert: 'INSERT OR IGNORE INTO user_pool_domains (domain, pool_id, kind, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  domainGet: 'SELECT domain, pool_id, kind, settings, created_at, updated_at FROM user_pool_domains WHERE domain = ?',
  domainsOfPool: 'SELECT domain, pool_id, kind, settings, created_at, updated_at FROM user_pool_domains WHERE pool_id = ? ORDER BY kind DESC',
  domainUpdate: 'UPDATE user_pool_domains SET settings = ?, updated_at = ? WHERE domain = ? AND pool_id = ?',
  domainDelete: 'DELETE FROM user_pool_domains WHERE domain = ? AND pool_id = ?',
  serverInsert: 'INSERT OR IGNORE INTO resource_servers (pool_id, identifier, name, scopes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  serverGet: 'SELECT pool_id, identifier, name, scopes, created_at, updated_at FROM resource_servers WHERE pool_id = ? AND identifier = ?',
  serversOfPool: 'SELECT pool_id, identifier, name, scopes, created_at, updated_at FROM resource_servers WHERE pool_id = ? ORDER BY identifier',
  serverPage: 'SELECT pool_id, identifier, name, scopes, created_at, updated_at FROM resource_servers WHERE pool_id = ? AND identifier > ? ORDER BY identifier LIMIT ?',
  serverUpdate: 'UPDATE resource_servers SET name = ?, scopes = ?, updated_at = ? WHERE pool_id = ? AND identifier = ?',
  serverDelete: 'DELETE FROM resource_servers WHERE pool_id = ? AND identifier = ?',
} as const;

/** Children before parents; every other aggregate's tables are wiped before these. */
export const CONFIG_TABLES = ['client_secrets', 'clients', 'user_pool_domains', 'resource_servers', 'user_pools'] as const;
