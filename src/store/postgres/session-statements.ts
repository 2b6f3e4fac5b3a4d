/** @module The PostgreSQL sessions-and-tokens aggregate's statements: auth sessions, credentials and lockout, refresh tokens, signing keys. */
import { statements } from './context.ts';

const SESSION_COLUMNS = 'digest, pool_id, client_id, username_key, challenge, sealed_state, created_at, expires_at, used_at';
const CREDENTIAL_COLUMNS = 'attributes, password_hash, srp_salt, srp_verifier, password_set_at, failed_attempts, locked_until, last_attempt_at';
const REFRESH_COLUMNS = 'digest, pool_id, client_id, username_key, origin_jti, auth_time, issued_at, expires_at, revoked_at, rotated_at';
const KEY_COLUMNS = 'pool_id, kid, key_use, sealed_private_key, public_jwk, created_at, retired_at';

export const q = statements('sessions', {
  sessionUpsert: `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)
    ON CONFLICT (digest) DO UPDATE SET pool_id = excluded.pool_id, client_id = excluded.client_id, username_key = excluded.username_key,
      challenge = excluded.challenge, sealed_state = excluded.sealed_state, created_at = excluded.created_at,
      expires_at = excluded.expires_at, used_at = NULL, failures = 0`,
  // Bounded, oldest first through sessions_by_expiry; SKIP LOCKED so instances pruning together never wait on each other.
  sessionPrune: `DELETE FROM sessions WHERE digest IN (
      SELECT digest FROM sessions WHERE expires_at <= $1 ORDER BY expires_at LIMIT 4 FOR UPDATE SKIP LOCKED)`,
  sessionGet: `SELECT ${SESSION_COLUMNS} FROM sessions WHERE digest = $1`,
  // One statement takes the session: a concurrent taker waits for the row lock, then finds it used.
  sessionTake: `UPDATE sessions SET used_at = $2 WHERE digest = $1 AND used_at IS NULL AND expires_at > $2 RETURNING ${SESSION_COLUMNS}`,
  sessionTakeOwn: `UPDATE sessions SET used_at = $2 WHERE digest = $1 AND used_at IS NULL AND expires_at > $2
    AND pool_id = $3 AND username_key = $4 RETURNING 1`,
  // One statement counts and, at the limit, spends; concurrent wrong answers queue on the row lock.
  sessionFail: `UPDATE sessions SET failures = failures + 1, used_at = CASE WHEN failures + 1 >= $3 THEN $2 ELSE used_at END
    WHERE digest = $1 AND used_at IS NULL AND expires_at > $2 RETURNING failures, used_at`,
  poolSessionsDelete: 'DELETE FROM sessions WHERE pool_id = $1',
  userSessionsDelete: 'DELETE FROM sessions WHERE pool_id = $1 AND username_key = $2',

  credentialsGet: `SELECT ${CREDENTIAL_COLUMNS} FROM users WHERE pool_id = $1 AND username_key = $2`,
  // The same row lock confirmSignUp takes: every counted call for one user is serialised cluster-wide.
  credentialsLock: `SELECT ${CREDENTIAL_COLUMNS} FROM users WHERE pool_id = $1 AND username_key = $2 FOR UPDATE`,
  lockoutSet: 'UPDATE users SET failed_attempts = $1, locked_until = $2, last_attempt_at = $3 WHERE pool_id = $4 AND username_key = $5',
  passwordSet: `UPDATE users SET password_hash = $1, srp_salt = $2, srp_verifier = $3, password_set_at = $4, status = $5, attributes = $6, updated_at = $7
    WHERE pool_id = $8 AND username_key = $9`,

  refreshInsert: `INSERT INTO refresh_tokens (${REFRESH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  refreshPrune: 'DELETE FROM refresh_tokens WHERE pool_id = $1 AND username_key = $2 AND expires_at <= $3',
  // A token counts as revoked once any token of its family is. A sign-out's UPDATE cannot see a row
  // that a rotation inserts while it runs (it waits for the old row's lock, then revokes that row
  // only), so the family, not the row, is what says a rotated-in token is revoked.
  refreshGet: `SELECT digest, pool_id, client_id, username_key, origin_jti, auth_time, issued_at, expires_at, rotated_at,
      coalesce(revoked_at, (SELECT min(f.revoked_at) FROM refresh_tokens f WHERE f.pool_id = r.pool_id AND f.origin_jti = r.origin_jti)) AS revoked_at
    FROM refresh_tokens r WHERE digest = $1`,
  // Two rotations of one token queue on this lock; the second then reads the first one's rotated_at.
  refreshLock: 'SELECT 1 FROM refresh_tokens WHERE digest = $1 FOR UPDATE',
  refreshRotate: 'UPDATE refresh_tokens SET rotated_at = $1 WHERE digest = $2 AND rotated_at IS NULL',
  familyRevoked: 'SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE pool_id = $1 AND origin_jti = $2 AND revoked_at IS NOT NULL) AS revoked',
  familyRevoke: 'UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, $1) WHERE pool_id = $2 AND origin_jti = $3',
  userTokensRevoke: 'UPDATE refresh_tokens SET revoked_at = $1 WHERE pool_id = $2 AND username_key = $3 AND revoked_at IS NULL',
  // Through refresh_tokens_by_user; revoked_at is the family's, as in refreshGet.
  refreshOfUser: `SELECT digest, pool_id, client_id, username_key, origin_jti, auth_time, issued_at, expires_at, rotated_at,
      coalesce(revoked_at, (SELECT min(f.revoked_at) FROM refresh_tokens f WHERE f.pool_id = r.pool_id AND f.origin_jti = r.origin_jti)) AS revoked_at
    FROM refresh_tokens r WHERE pool_id = $1 AND username_key = $2 ORDER BY issued_at DESC, digest LIMIT $3`,

  // NO KEY UPDATE: serialises key changes per pool without blocking the inserts whose foreign keys point at the pool.
  poolLock: 'SELECT 1 FROM user_pools WHERE id = $1 FOR NO KEY UPDATE',
  keysOf: `SELECT ${KEY_COLUMNS} FROM signing_keys WHERE pool_id = $1 ORDER BY created_at DESC, kid DESC`,
  // DO NOTHING also covers signing_keys_current: a use that already has a current key keeps it.
  keyAdd: `INSERT INTO signing_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
  keyInsert: `INSERT INTO signing_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
  keysRetire: 'UPDATE signing_keys SET retired_at = $1 WHERE pool_id = $2 AND key_use = $3 AND retired_at IS NULL',
});
