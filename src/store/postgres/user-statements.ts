/** @module The PostgreSQL users-and-codes aggregate's statements: users, aliases, sign-up codes, attempts. */
import type pg from 'pg';
import { statements } from './context.ts';

// Explicit column lists, not `*`: a prepared `SELECT *` fails ("cached plan must not change result
// type") on every pooled connection once a later migration adds a column under running instances.
export const USER_COLUMNS = 'pool_id, username_key, username, sub, status, enabled, attributes, password_hash, created_at, updated_at, pending_attributes, confirmed_at';

/** The text of the error userConfirm raises when it finds no row to confirm. */
export const CONFIRM_GUARD = 'no unconfirmed user row to confirm';

export const q = statements('users', {
  userInsert: `INSERT INTO users (pool_id, username_key, username, sub, status, enabled, attributes, password_hash,
      srp_salt, srp_verifier, password_set_at, created_at, updated_at, confirmed_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING RETURNING 1`,
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
  poolAttemptsDelete: 'DELETE FROM attempts WHERE pool_id = $1',
  // Fails, rather than matching nothing, when there is no unconfirmed row: the COMMIT is already on
  // the wire behind it, so only an error can still undo the attempt and code it travels with.
  userConfirm: `WITH confirmed AS (UPDATE users SET status = 'CONFIRMED', attributes = $1, updated_at = $2, confirmed_at = $2
      WHERE pool_id = $3 AND username_key = $4 AND status = 'UNCONFIRMED' RETURNING 1)
    SELECT (CASE WHEN count(*) = 1 THEN '1' ELSE '${CONFIRM_GUARD}' END)::int AS confirmed FROM confirmed`,
  userReinvite: `UPDATE users SET password_hash = $1, srp_salt = $2, srp_verifier = $3, password_set_at = $4, updated_at = $5
    WHERE pool_id = $6 AND username_key = $7 AND status = 'FORCE_CHANGE_PASSWORD'`,
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
  // The console's live view: a pool's users were added, removed or changed (every write stamps updated_at).
  usersWatermark: 'SELECT count(*) AS n, coalesce(max(updated_at), 0) AS at FROM users WHERE pool_id = $1',
  userCount: 'SELECT count(*) AS n FROM users WHERE pool_id = $1',
});

const filterNames = new Map<string, string>();

/**
 * The ListUsers query with one filter clause, named per clause shape (there are a handful, since
 * values are bound), so filtered pages are prepared once per connection like everything else.
 */
export function filteredUserPage(clause: string, limitParam: number, values: unknown[]): pg.QueryConfig {
  let name = filterNames.get(clause);
  if (!name) filterNames.set(clause, (name = `userpool_users_filtered_${filterNames.size}`));
  const text = `SELECT ${USER_COLUMNS} FROM users WHERE pool_id = $1 AND username_key > $2 AND ${clause} ORDER BY username_key LIMIT $${limitParam}`;
  return { name, text, values };
}
