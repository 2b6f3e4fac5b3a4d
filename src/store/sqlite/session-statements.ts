/** @module The SQLite sessions-and-tokens aggregate's statements: auth sessions, credentials and lockout, refresh tokens, signing keys. */

export const sessionSql = {
  sessionInsert: `INSERT OR REPLACE INTO sessions (digest, pool_id, username_key, client_id, challenge, sealed_state, created_at, expires_at, used_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  // Bounded, oldest first through sessions_by_expiry: each insert removes a few, so expired rows never pile up.
  sessionPrune: 'DELETE FROM sessions WHERE digest IN (SELECT digest FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT 4)',
  sessionGet: 'SELECT * FROM sessions WHERE digest = ?',
  sessionUse: 'UPDATE sessions SET used_at = ? WHERE digest = ?',
  // One statement counts and, at the limit, spends: concurrent wrong answers each count.
  sessionFail: `UPDATE sessions SET failures = failures + 1, used_at = CASE WHEN failures + 1 >= ? THEN ? ELSE used_at END
    WHERE digest = ? AND used_at IS NULL AND expires_at > ? RETURNING failures, used_at`,
  sessionsOfPoolDelete: 'DELETE FROM sessions WHERE pool_id = ?',
  sessionsOfUserDelete: 'DELETE FROM sessions WHERE pool_id = ? AND username_key = ?',

  credentialsGet: `SELECT attributes, password_hash, srp_salt, srp_verifier, password_set_at, failed_attempts, locked_until, last_attempt_at
    FROM users WHERE pool_id = ? AND username_key = ?`,
  lockoutSet: 'UPDATE users SET failed_attempts = ?, locked_until = ?, last_attempt_at = ? WHERE pool_id = ? AND username_key = ?',
  passwordSet: `UPDATE users SET password_hash = ?, srp_salt = ?, srp_verifier = ?, password_set_at = ?, status = ?, attributes = ?, updated_at = ?
    WHERE pool_id = ? AND username_key = ?`,

  refreshInsert: `INSERT INTO refresh_tokens (digest, pool_id, client_id, username_key, origin_jti, auth_time, issued_at, expires_at, revoked_at, rotated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  refreshPrune: 'DELETE FROM refresh_tokens WHERE pool_id = ? AND username_key = ? AND expires_at <= ?',
  // A token is revoked once any token of its family is; the PostgreSQL twin says why that matters there.
  refreshGet: `SELECT digest, pool_id, client_id, username_key, origin_jti, auth_time, issued_at, expires_at, rotated_at,
      coalesce(revoked_at, (SELECT min(f.revoked_at) FROM refresh_tokens f WHERE f.pool_id = r.pool_id AND f.origin_jti = r.origin_jti)) AS revoked_at
    FROM refresh_tokens r WHERE digest = ?`,
  refreshRotate: 'UPDATE refresh_tokens SET rotated_at = ? WHERE digest = ? AND rotated_at IS NULL',
  familyRevoked: 'SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE pool_id = ? AND origin_jti = ? AND revoked_at IS NOT NULL) AS revoked',
  familyRevoke: 'UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE pool_id = ? AND origin_jti = ?',
  userTokensRevoke: 'UPDATE refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND username_key = ? AND revoked_at IS NULL',
  // Through refresh_tokens_by_user; revoked_at is the family's, as in refreshGet.
  refreshOfUser: `SELECT digest, pool_id, client_id, username_key, origin_jti, auth_time, issued_at, expires_at, rotated_at,
      coalesce(revoked_at, (SELECT min(f.revoked_at) FROM refresh_tokens f WHERE f.pool_id = r.pool_id AND f.origin_jti = r.origin_jti)) AS revoked_at
    FROM refresh_tokens r WHERE pool_id = ? AND username_key = ? ORDER BY issued_at DESC, digest LIMIT ?`,

  poolExists: 'SELECT 1 FROM user_pools WHERE id = ?',
  keysOf: 'SELECT * FROM signing_keys WHERE pool_id = ? ORDER BY created_at DESC, kid DESC',
  // DO NOTHING also covers signing_keys_current: a use that already has a current key keeps it.
  keyAdd: `INSERT INTO signing_keys (pool_id, kid, key_use, sealed_private_key, public_jwk, created_at, retired_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  keyInsert: `INSERT INTO signing_keys (pool_id, kid, key_use, sealed_private_key, public_jwk, created_at, retired_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`,
  keysRetire: 'UPDATE signing_keys SET retired_at = ? WHERE pool_id = ? AND key_use = ? AND retired_at IS NULL',
} as const;
