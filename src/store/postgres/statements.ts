/**
 * @module The PostgreSQL store's SQL, as named statements so each connection parses and plans
 * them once. Kept apart from the store so the transaction logic reads without SQL in the way.
 */
import type pg from 'pg';

// Explicit column lists, not `*`: a prepared `SELECT *` fails ("cached plan must not change result
// type") on every pooled connection once a later migration adds a column under running instances.
export const USER_COLUMNS = 'pool_id, username_key, username, sub, status, enabled, attributes, password_hash, created_at, updated_at';
const POOL_COLUMNS = 'id, name, settings, limits, created_at, updated_at';
const CLIENT_COLUMNS = 'c.client_id, c.pool_id, c.name, c.settings, c.created_at, c.updated_at';
const OUTBOX_COLUMNS =
  'id, pool_id, username, medium, destination, sealed_payload, status, attempts, next_attempt_at, last_error, created_at, sent_at';

const secretsJson = `coalesce((SELECT json_agg(json_build_object('secret_id', s.secret_id, 'sealed', s.sealed, 'created_at', s.created_at)
    ORDER BY s.created_at, s.secret_id) FROM client_secrets s WHERE s.client_id = c.client_id), '[]'::json)`;

const sql = {
  ping: 'SELECT 1',
  schemaVersion: 'SELECT coalesce(max(version), 0) AS v FROM schema_migrations',
  metaInsert: 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT DO NOTHING',
  metaGet: 'SELECT value FROM meta WHERE key = $1',
  poolInsert:
    'INSERT INTO user_pools (id, name, settings, limits, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
  poolGet: `SELECT ${POOL_COLUMNS} FROM user_pools WHERE id = $1`,
  poolPage: `SELECT ${POOL_COLUMNS} FROM user_pools WHERE id > $1 ORDER BY id LIMIT $2`,
  poolUpdate: 'UPDATE user_pools SET name = $1, settings = $2, limits = $3, updated_at = $4 WHERE id = $5',
  poolDelete: 'DELETE FROM user_pools WHERE id = $1',
  poolAttemptsDelete: 'DELETE FROM attempts WHERE pool_id = $1',
  poolSessionsDelete: 'DELETE FROM sessions WHERE pool_id = $1',
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
  userInsert: `INSERT INTO users (pool_id, username_key, username, sub, status, enabled, attributes, password_hash, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING 1`,
  userGet: `SELECT ${USER_COLUMNS} FROM users WHERE pool_id = $1 AND username_key = $2`,
  // The row lock is what serialises every counted call for one user, across all instances.
  userLock: `SELECT ${USER_COLUMNS} FROM users WHERE pool_id = $1 AND username_key = $2 FOR UPDATE`,
  userBySub: `SELECT ${USER_COLUMNS} FROM users WHERE pool_id = $1 AND sub = $2`,
  userByAlias: `SELECT ${USER_COLUMNS.replace(/(\w+)/gu, 'u.$1')} FROM aliases a JOIN users u ON u.pool_id = a.pool_id AND u.username_key = a.username_key
    WHERE a.pool_id = $1 AND a.attribute = $2 AND a.value_key = $3`,
  userPage: `SELECT ${USER_COLUMNS} FROM users WHERE pool_id = $1 AND username_key > $2 ORDER BY username_key LIMIT $3`,
  userEnable: 'UPDATE users SET enabled = $1, updated_at = $2 WHERE pool_id = $3 AND username_key = $4',
  userDelete: 'DELETE FROM users WHERE pool_id = $1 AND username_key = $2',
  userAttemptsDelete: 'DELETE FROM attempts WHERE pool_id = $1 AND username_key = $2',
  userSessionsDelete: 'DELETE FROM sessions WHERE pool_id = $1 AND username_key = $2',
  userConfirm: `UPDATE users SET status = 'CONFIRMED', attributes = $1, updated_at = $2
    WHERE pool_id = $3 AND username_key = $4 AND status = 'UNCONFIRMED'`,
  userReinvite: `UPDATE users SET password_hash = $1, updated_at = $2
    WHERE pool_id = $3 AND username_key = $4 AND status = 'FORCE_CHANGE_PASSWORD'`,
  userSetAttributes: 'UPDATE users SET attributes = $1, updated_at = $2 WHERE pool_id = $3 AND username_key = $4',
  // Alias values are claimed under a transaction-scoped advisory lock: the primary key alone
  // cannot stop two users from each seeing a value free and then one silently not getting it.
  aliasLock: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
  aliasOwner: 'SELECT username_key FROM aliases WHERE pool_id = $1 AND attribute = $2 AND value_key = $3',
  aliasInsert: 'INSERT INTO aliases (pool_id, attribute, value_key, username_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1',
  aliasDelete: 'DELETE FROM aliases WHERE pool_id = $1 AND attribute = $2 AND value_key = $3',
  codeUpsert: `INSERT INTO signup_codes (pool_id, username_key, digest, delivered_to, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (pool_id, username_key) DO UPDATE SET digest = excluded.digest, delivered_to = excluded.delivered_to,
      expires_at = excluded.expires_at, created_at = excluded.created_at`,
  codeDelete: 'DELETE FROM signup_codes WHERE pool_id = $1 AND username_key = $2',
  // Prunes the attempts that left the window, counts the rest and reads the code in one round trip.
  attemptsAndCode: `WITH pruned AS (DELETE FROM attempts WHERE pool_id = $1 AND username_key = $2 AND action = $3 AND at <= $4),
      n AS (SELECT count(*)::int AS n FROM attempts WHERE pool_id = $1 AND username_key = $2 AND action = $3 AND at > $4)
    SELECT n.n, c.digest, c.delivered_to, c.expires_at, c.created_at AS code_created_at
    FROM n LEFT JOIN signup_codes c ON c.pool_id = $1 AND c.username_key = $2`,
  attemptInsert: 'INSERT INTO attempts (pool_id, username_key, action, at) VALUES ($1, $2, $3, $4)',
  sessionUpsert: `INSERT INTO sessions (digest, pool_id, username_key, client_id, expires_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (digest) DO UPDATE SET pool_id = excluded.pool_id, username_key = excluded.username_key,
      client_id = excluded.client_id, expires_at = excluded.expires_at`,
  outboxInsert: `INSERT INTO outbox (pool_id, username, medium, destination, sealed_payload, status, next_attempt_at, created_at)
    VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)`,
  // SKIP LOCKED lets instances claim side by side: a row another instance is leasing is passed
  // over, not waited for, and the re-check after the lock keeps a just-leased row from being taken twice.
  outboxClaim: `WITH due AS (
      SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)
      ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
    UPDATE outbox o SET status = 'sending', lease_until = $3, attempts = o.attempts + 1 FROM due WHERE o.id = due.id RETURNING ${OUTBOX_COLUMNS.replace(/(\w+)/gu, 'o.$1')}`,
  outboxSent: "UPDATE outbox SET status = 'sent', sent_at = $1, lease_until = NULL, last_error = NULL WHERE id = $2",
  outboxFailed: 'UPDATE outbox SET status = $1, last_error = $2, next_attempt_at = coalesce($3, next_attempt_at), lease_until = NULL WHERE id = $4',
  outboxAll: `SELECT ${OUTBOX_COLUMNS} FROM outbox ORDER BY id`,
  outboxPending: "SELECT count(*)::int AS n, min(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'sending')",
  outboxByPool: `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE pool_id = $1 ORDER BY id`,
  outboxByUser: `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE username = $1 ORDER BY id`,
  outboxByPoolUser: `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE pool_id = $1 AND username = $2 ORDER BY id`,
} as const;

export type StatementName = keyof typeof sql;

/** A named statement with its values; pg prepares it once per connection. */
export function q(name: StatementName, values: unknown[] = []): pg.QueryConfig {
  return { name: `userpool_${name}`, text: sql[name], values };
}
