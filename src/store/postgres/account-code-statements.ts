/**
 * @module PostgreSQL statement texts the account and attributes aggregates share: both keep their
 * codes in account_codes (one row per user and purpose) and count attempts against them in the
 * users aggregate's attempts table (and its attempts_window index), under actions of their own.
 * Each aggregate names them under its own prefix.
 */
import { USER_COLUMNS } from './user-statements.ts';

export const accountCodeSql = {
  // The row lock serialises every intent on one user across all instances.
  userLock: `SELECT ${USER_COLUMNS} FROM users WHERE pool_id = $1 AND username_key = $2 FOR UPDATE`,
  codeUpsert: `INSERT INTO account_codes (pool_id, username_key, purpose, digest, delivered_to, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (pool_id, username_key, purpose) DO UPDATE SET digest = excluded.digest, delivered_to = excluded.delivered_to,
      expires_at = excluded.expires_at, created_at = excluded.created_at`,
  codeDelete: 'DELETE FROM account_codes WHERE pool_id = $1 AND username_key = $2 AND purpose = $3',
  // Prunes the attempts that left the window, counts the rest and reads the code in one round trip.
  attemptsAndCode: `WITH pruned AS (DELETE FROM attempts WHERE pool_id = $1 AND username_key = $2 AND action = $3 AND at <= $4),
      n AS (SELECT count(*)::int AS n FROM attempts WHERE pool_id = $1 AND username_key = $2 AND action = $3 AND at > $4)
    SELECT n.n, c.purpose, c.digest, c.delivered_to, c.expires_at, c.created_at
    FROM n LEFT JOIN account_codes c ON c.pool_id = $1 AND c.username_key = $2 AND c.purpose = $5`,
  attemptInsert: 'INSERT INTO attempts (pool_id, username_key, action, at) VALUES ($1, $2, $3, $4)',
} as const;
