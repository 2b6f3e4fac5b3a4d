/** @module The SQLite OAuth grants aggregate's statements: authorization codes and browser sessions. */

const CODE_COLUMNS = 'digest, pool_id, client_id, username_key, redirect_uri, scopes, code_challenge, nonce, auth_time, created_at, expires_at, used_at';
const SESSION_COLUMNS = 'digest, pool_id, username_key, auth_time, created_at, expires_at, ended_at';

/** Rows past retention removed per issue: enough to keep up with issuing, never a long write. */
export const PRUNE_BATCH = 20;

export const grantSql = {
  userExists: 'SELECT 1 FROM users WHERE pool_id = ? AND username_key = ?',
  codeInsert: `INSERT INTO oauth_codes (${CODE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // The single-use check and the mark are one statement: only the first caller changes the row.
  codeRedeem: `UPDATE oauth_codes SET used_at = ? WHERE digest = ? AND pool_id = ? AND used_at IS NULL AND expires_at > ?
    RETURNING ${CODE_COLUMNS}`,
  codeGet: `SELECT ${CODE_COLUMNS} FROM oauth_codes WHERE digest = ?`,
  codePrune: `DELETE FROM oauth_codes WHERE digest IN (SELECT digest FROM oauth_codes WHERE expires_at < ? LIMIT ${PRUNE_BATCH})`,
  familyInsert: `INSERT INTO oauth_families (pool_id, origin_jti, client_id, username_key, scopes, expires_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING`,
  familyScopes: 'SELECT scopes FROM oauth_families WHERE pool_id = ? AND origin_jti = ?',
  familyPrune: `DELETE FROM oauth_families WHERE rowid IN (SELECT rowid FROM oauth_families WHERE expires_at < ? LIMIT ${PRUNE_BATCH})`,
  sessionInsert: `INSERT INTO browser_sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  sessionLive: `SELECT ${SESSION_COLUMNS} FROM browser_sessions WHERE digest = ? AND pool_id = ? AND ended_at IS NULL AND expires_at > ?`,
  sessionEnd: 'UPDATE browser_sessions SET ended_at = ? WHERE digest = ? AND pool_id = ? AND ended_at IS NULL AND expires_at > ?',
  sessionPrune: `DELETE FROM browser_sessions WHERE digest IN (SELECT digest FROM browser_sessions WHERE expires_at < ? LIMIT ${PRUNE_BATCH})`,
  sessionsOfUser: `SELECT ${SESSION_COLUMNS} FROM browser_sessions WHERE pool_id = ? AND username_key = ? ORDER BY created_at DESC, digest LIMIT ?`,
} as const;
