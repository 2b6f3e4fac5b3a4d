/** @module The PostgreSQL OAuth grants aggregate's statements: authorization codes and browser sessions. */
import { statements } from './context.ts';

// Explicit column lists, not `*`: a prepared `SELECT *` breaks on pooled connections once a later
// migration adds a column under running instances.
const CODE_COLUMNS = 'digest, pool_id, client_id, username_key, redirect_uri, scopes, code_challenge, nonce, auth_time, created_at, expires_at, used_at';
const SESSION_COLUMNS = 'digest, pool_id, username_key, auth_time, created_at, expires_at, ended_at';

/** Rows past retention removed per issue: enough to keep up with issuing, never a long write. */
const PRUNE_BATCH = 20;

export const q = statements('grants', {
  // Inserted only while the user exists; the foreign key covers a deletion racing the insert.
  codeInsert: `INSERT INTO oauth_codes (${CODE_COLUMNS})
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9::bigint, $10::bigint, $11::bigint, $12::bigint WHERE EXISTS (SELECT 1 FROM users WHERE pool_id = $2 AND username_key = $4)`,
  // The single-use check and the mark are one statement: a concurrent redemption waits on the row
  // lock, re-checks `used_at IS NULL` against the committed row, and changes nothing.
  codeRedeem: `UPDATE oauth_codes SET used_at = $1 WHERE digest = $2 AND pool_id = $3 AND used_at IS NULL AND expires_at > $1
    RETURNING ${CODE_COLUMNS}`,
  codeGet: `SELECT ${CODE_COLUMNS} FROM oauth_codes WHERE digest = $1`,
  codePrune: `DELETE FROM oauth_codes WHERE digest IN (SELECT digest FROM oauth_codes WHERE expires_at < $1 LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`,
  familyInsert: `INSERT INTO oauth_families (pool_id, origin_jti, client_id, username_key, scopes, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT DO NOTHING`,
  familyScopes: 'SELECT scopes FROM oauth_families WHERE pool_id = $1 AND origin_jti = $2',
  familyPrune: `DELETE FROM oauth_families WHERE (pool_id, origin_jti) IN
    (SELECT pool_id, origin_jti FROM oauth_families WHERE expires_at < $1 LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`,
  sessionInsert: `INSERT INTO browser_sessions (${SESSION_COLUMNS})
    SELECT $1, $2, $3, $4::bigint, $5::bigint, $6::bigint, $7::bigint WHERE EXISTS (SELECT 1 FROM users WHERE pool_id = $2 AND username_key = $3)`,
  sessionLive: `SELECT ${SESSION_COLUMNS} FROM browser_sessions WHERE digest = $1 AND pool_id = $2 AND ended_at IS NULL AND expires_at > $3`,
  sessionEnd: 'UPDATE browser_sessions SET ended_at = $1 WHERE digest = $2 AND pool_id = $3 AND ended_at IS NULL AND expires_at > $1',
  sessionPrune: `DELETE FROM browser_sessions WHERE digest IN (SELECT digest FROM browser_sessions WHERE expires_at < $1 LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`,
  sessionsOfUser: `SELECT ${SESSION_COLUMNS} FROM browser_sessions WHERE pool_id = $1 AND username_key = $2 ORDER BY created_at DESC, digest LIMIT $3`,
});
