/** @module The PostgreSQL config aggregate's statements: meta, pools, clients and client secrets, domains, resource servers. */
import { statements } from './context.ts';

// Explicit column lists, not `*`: a prepared `SELECT *` fails ("cached plan must not change result
// type") on every pooled connection once a later migration adds a column under running instances.
const POOL_COLUMNS = 'id, name, settings, limits, created_at, updated_at';
const CLIENT_COLUMNS = 'c.client_id, c.pool_id, c.name, c.settings, c.created_at, c.updated_at';
const DOMAIN_COLUMNS = 'domain, pool_id, kind, settings, created_at, updated_at';
const SERVER_COLUMNS = 'pool_id, identifier, name, scopes, created_at, updated_at';

const secretsJson = `coalesce((SELECT json_agg(json_build_object('secret_id', s.secret_id, 'sealed', s.sealed, 'created_at', s.created_at)
    ORDER BY s.created_at, s.secret_id) FROM client_secrets s WHERE s.client_id = c.client_id), '[]'::json)`;

export const q = statements('config', {
  metaInsert: 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING',
  metaGet: 'SELECT value FROM meta WHERE key = $1',
  poolInsert:
    'INSERT INTO user_pools (id, name, settings, limits, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
  poolGet: `SELECT ${POOL_COLUMNS} FROM user_pools WHERE id = $1`,
  poolPage: `SELECT ${POOL_COLUMNS} FROM user_pools WHERE id > $1 ORDER BY id LIMIT $2`,
  // NO KEY UPDATE: serialises changes of the pool without blocking inserts whose foreign keys point at it.
  poolLock: `SELECT ${POOL_COLUMNS} FROM user_pools WHERE id = $1 FOR NO KEY UPDATE`,
  poolUpdate: 'UPDATE user_pools SET name = $1, settings = $2, limits = $3, updated_at = $4 WHERE id = $5',
  poolDelete: 'DELETE FROM user_pools WHERE id = $1',
  clientInsert:
    'INSERT INTO clients (client_id, pool_id, name, settings, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
  // Secrets ride along as JSON so a client is one round trip on the request path.
  clientGet: `SELECT ${CLIENT_COLUMNS}, ${secretsJson} AS secrets FROM clients c WHERE c.client_id = $1`,
  clientPage: `SELECT ${CLIENT_COLUMNS}, ${secretsJson} AS secrets FROM clients c WHERE c.pool_id = $1 AND c.client_id > $2 ORDER BY c.client_id LIMIT $3`,
  clientLock: 'SELECT 1 FROM clients WHERE client_id = $1 FOR UPDATE',
  clientUpdate: 'UPDATE clients SET name = $1, settings = $2, updated_at = $3 WHERE client_id = $4',
  clientDelete: 'DELETE FROM clients WHERE pool_id = $1 AND client_id = $2',
  secretInsert: 'INSERT INTO client_secrets (secret_id, client_id, sealed, created_at) VALUES ($1, $2, $3, $4)',
  secretCount: 'SELECT count(*)::int AS n FROM client_secrets WHERE client_id = $1',
  secretDelete: 'DELETE FROM client_secrets WHERE client_id = $1 AND secret_id = $2',
  // No conflict target: either unique index (the name, or one domain of a kind per pool) makes it a no-op,
  // after waiting for a racing insert of the same key to commit or roll back.
  domainInsert: `INSERT INTO user_pool_domains (${DOMAIN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
  domainGet: `SELECT ${DOMAIN_COLUMNS} FROM user_pool_domains WHERE domain = $1`,
  domainsOfPool: `SELECT ${DOMAIN_COLUMNS} FROM user_pool_domains WHERE pool_id = $1 ORDER BY kind DESC`,
  domainUpdate: `UPDATE user_pool_domains SET settings = $1, updated_at = $2 WHERE domain = $3 AND pool_id = $4 RETURNING ${DOMAIN_COLUMNS}`,
  domainDelete: 'DELETE FROM user_pool_domains WHERE domain = $1 AND pool_id = $2',
  serverInsert: `INSERT INTO resource_servers (${SERVER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
  serverGet: `SELECT ${SERVER_COLUMNS} FROM resource_servers WHERE pool_id = $1 AND identifier = $2`,
  serversOfPool: `SELECT ${SERVER_COLUMNS} FROM resource_servers WHERE pool_id = $1 ORDER BY identifier`,
  serverPage: `SELECT ${SERVER_COLUMNS} FROM resource_servers WHERE pool_id = $1 AND identifier > $2 ORDER BY identifier LIMIT $3`,
  serverUpdate: 'UPDATE resource_servers SET name = $1, scopes = $2, updated_at = $3 WHERE pool_id = $4 AND identifier = $5',
  serverDelete: 'DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2',
});

export const CONFIG_TABLES = ['client_secrets', 'clients', 'user_pool_domains', 'resource_servers', 'user_pools'] as const;
