/** @module The SQLite users-and-codes aggregate's statements: users, aliases, sign-up codes, attempts. */

export const userSql = {
  poolExists: 'SELECT 1 FROM user_pools WHERE id = ?',
  userInsert: `INSERT INTO users (pool_id, username_key, username, sub, status, enabled, attributes, password_hash,
      srp_salt, srp_verifier, password_set_at, created_at, updated_at, confirmed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  userGet: 'SELECT * FROM users WHERE pool_id = ? AND username_key = ?',
  userBySub: 'SELECT * FROM users WHERE pool_id = ? AND sub = ?',
  userByAlias:
    'SELECT u.* FROM aliases a JOIN users u ON u.pool_id = a.pool_id AND u.username_key = a.username_key WHERE a.pool_id = ? AND a.attribute = ? AND a.value_key = ?',
  userPage: 'SELECT * FROM users WHERE pool_id = ? AND username_key > ? ORDER BY username_key LIMIT ?',
  userEnable: 'UPDATE users SET enabled = ?, updated_at = ? WHERE pool_id = ? AND username_key = ?',
  userDelete: 'DELETE FROM users WHERE pool_id = ? AND username_key = ?',
  userConfirm: "UPDATE users SET status = 'CONFIRMED', attributes = ?, updated_at = ?, confirmed_at = ? WHERE pool_id = ? AND username_key = ? AND status = 'UNCONFIRMED'",
  userReinvite: `UPDATE users SET password_hash = ?, srp_salt = ?, srp_verifier = ?, password_set_at = ?, updated_at = ?
    WHERE pool_id = ? AND username_key = ? AND status = 'FORCE_CHANGE_PASSWORD'`,
  userSetAttributes: 'UPDATE users SET attributes = ?, updated_at = ? WHERE pool_id = ? AND username_key = ?',
  aliasOwner: 'SELECT username_key FROM aliases WHERE pool_id = ? AND attribute = ? AND value_key = ?',
  aliasInsert: 'INSERT INTO aliases (pool_id, attribute, value_key, username_key) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  aliasDelete: 'DELETE FROM aliases WHERE pool_id = ? AND attribute = ? AND value_key = ?',
  codeUpsert: `INSERT INTO signup_codes (pool_id, username_key, digest, delivered_to, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (pool_id, username_key) DO UPDATE SET digest = excluded.digest, delivered_to = excluded.delivered_to,
      expires_at = excluded.expires_at, created_at = excluded.created_at`,
  codeGet: 'SELECT * FROM signup_codes WHERE pool_id = ? AND username_key = ?',
  codeDelete: 'DELETE FROM signup_codes WHERE pool_id = ? AND username_key = ?',
  attemptCount: 'SELECT count(*) AS n FROM attempts WHERE pool_id = ? AND username_key = ? AND action = ? AND at > ?',
  attemptInsert: 'INSERT INTO attempts (pool_id, username_key, action, at) VALUES (?, ?, ?, ?)',
  attemptPrune: 'DELETE FROM attempts WHERE pool_id = ? AND username_key = ? AND action = ? AND at <= ?',
  attemptsOfPoolDelete: 'DELETE FROM attempts WHERE pool_id = ?',
  attemptsOfUserDelete: 'DELETE FROM attempts WHERE pool_id = ? AND username_key = ?',
  // The console's live view: a pool's users were added, removed or changed (every write stamps updated_at).
  usersWatermark: 'SELECT count(*) AS n, coalesce(max(updated_at), 0) AS at FROM users WHERE pool_id = ?',
  userCount: 'SELECT count(*) AS n FROM users WHERE pool_id = ?',
} as const;

/**
 * The ListUsers query with one filter clause; one prepared statement per clause shape. Without
 * statistics SQLite walks the primary key, which already has ListUsers' order, and tests every
 * user of the pool; an exact username is few rows, so it is looked up in its own index instead.
 */
export function filteredUserPage(clause: string): string {
  const index = clause === 'username = ?' ? ' INDEXED BY users_by_username' : '';
  return `SELECT * FROM users${index} WHERE pool_id = ? AND username_key > ? AND ${clause} ORDER BY username_key LIMIT ?`;
}
