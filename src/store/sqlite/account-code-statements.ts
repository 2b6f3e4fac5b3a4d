/**
 * @module SQLite statements the account and attributes aggregates share: both keep their codes in
 * account_codes (one row per user and purpose) and count attempts against them in the users
 * aggregate's attempts table, under actions of their own.
 */

export const accountCodeSql = {
  userGet: 'SELECT * FROM users WHERE pool_id = ? AND username_key = ?',
  codeUpsert: `INSERT INTO account_codes (pool_id, username_key, purpose, digest, delivered_to, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (pool_id, username_key, purpose) DO UPDATE SET digest = excluded.digest, delivered_to = excluded.delivered_to,
      expires_at = excluded.expires_at, created_at = excluded.created_at`,
  codeGet: 'SELECT purpose, digest, delivered_to, expires_at, created_at FROM account_codes WHERE pool_id = ? AND username_key = ? AND purpose = ?',
  codeDelete: 'DELETE FROM account_codes WHERE pool_id = ? AND username_key = ? AND purpose = ?',
  attemptCount: 'SELECT count(*) AS n FROM attempts WHERE pool_id = ? AND username_key = ? AND action = ? AND at > ?',
  attemptInsert: 'INSERT INTO attempts (pool_id, username_key, action, at) VALUES (?, ?, ?, ?)',
  attemptPrune: 'DELETE FROM attempts WHERE pool_id = ? AND username_key = ? AND action = ? AND at <= ?',
} as const;
