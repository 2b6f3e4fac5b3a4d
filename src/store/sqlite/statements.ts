/** @module The SQLite store's statements, prepared once when the database opens. */
import type Database from 'better-sqlite3';

export function prepareStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    ping: p('SELECT 1'),
    schemaVersion: p('SELECT coalesce(max(version), 0) AS v FROM schema_migrations'),
    metaGet: p('SELECT value FROM meta WHERE key = ?'),
    metaInsert: p('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
    poolInsert: p('INSERT OR IGNORE INTO user_pools (id, name, settings, limits, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
    poolGet: p('SELECT * FROM user_pools WHERE id = ?'),
    poolPage: p('SELECT * FROM user_pools WHERE id > ? ORDER BY id LIMIT ?'),
    poolUpdate: p('UPDATE user_pools SET name = ?, settings = ?, limits = ?, updated_at = ? WHERE id = ?'),
    poolDelete: p('DELETE FROM user_pools WHERE id = ?'),
    clientInsert: p('INSERT OR IGNORE INTO clients (client_id, pool_id, name, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
    clientGet: p('SELECT * FROM clients WHERE client_id = ?'),
    clientPage: p('SELECT * FROM clients WHERE pool_id = ? AND client_id > ? ORDER BY client_id LIMIT ?'),
    clientUpdate: p('UPDATE clients SET name = ?, settings = ?, updated_at = ? WHERE client_id = ?'),
    clientDelete: p('DELETE FROM clients WHERE pool_id = ? AND client_id = ?'),
    secretInsert: p('INSERT INTO client_secrets (secret_id, client_id, sealed, created_at) VALUES (?, ?, ?, ?)'),
    secretsOf: p('SELECT * FROM client_secrets WHERE client_id = ? ORDER BY created_at, secret_id'),
    secretCount: p('SELECT count(*) AS n FROM client_secrets WHERE client_id = ?'),
    secretDelete: p('DELETE FROM client_secrets WHERE client_id = ? AND secret_id = ?'),
    userInsert: p(
      `INSERT INTO users (pool_id, username_key, username, sub, status, enabled, attributes, password_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ),
    userGet: p('SELECT * FROM users WHERE pool_id = ? AND username_key = ?'),
    userBySub: p('SELECT * FROM users WHERE pool_id = ? AND sub = ?'),
    userByAlias: p(
      'SELECT u.* FROM aliases a JOIN users u ON u.pool_id = a.pool_id AND u.username_key = a.username_key WHERE a.pool_id = ? AND a.attribute = ? AND a.value_key = ?',
    ),
    userPage: p('SELECT * FROM users WHERE pool_id = ? AND username_key > ? ORDER BY username_key LIMIT ?'),
    userEnable: p('UPDATE users SET enabled = ?, updated_at = ? WHERE pool_id = ? AND username_key = ?'),
    userDelete: p('DELETE FROM users WHERE pool_id = ? AND username_key = ?'),
    userConfirm: p(
      "UPDATE users SET status = 'CONFIRMED', attributes = ?, updated_at = ? WHERE pool_id = ? AND username_key = ? AND status = 'UNCONFIRMED'",
    ),
    userReinvite: p(
      "UPDATE users SET password_hash = ?, updated_at = ? WHERE pool_id = ? AND username_key = ? AND status = 'FORCE_CHANGE_PASSWORD'",
    ),
    userSetAttributes: p('UPDATE users SET attributes = ?, updated_at = ? WHERE pool_id = ? AND username_key = ?'),
    aliasOwner: p('SELECT username_key FROM aliases WHERE pool_id = ? AND attribute = ? AND value_key = ?'),
    aliasInsert: p('INSERT INTO aliases (pool_id, attribute, value_key, username_key) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    aliasDelete: p('DELETE FROM aliases WHERE pool_id = ? AND attribute = ? AND value_key = ?'),
    codeUpsert: p(
      `INSERT INTO signup_codes (pool_id, username_key, digest, delivered_to, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (pool_id, username_key) DO UPDATE SET digest = excluded.digest, delivered_to = excluded.delivered_to,
         expires_at = excluded.expires_at, created_at = excluded.created_at`,
    ),
    codeGet: p('SELECT * FROM signup_codes WHERE pool_id = ? AND username_key = ?'),
    codeDelete: p('DELETE FROM signup_codes WHERE pool_id = ? AND username_key = ?'),
    attemptCount: p('SELECT count(*) AS n FROM attempts WHERE pool_id = ? AND username_key = ? AND action = ? AND at > ?'),
    attemptInsert: p('INSERT INTO attempts (pool_id, username_key, action, at) VALUES (?, ?, ?, ?)'),
    attemptPrune: p('DELETE FROM attempts WHERE pool_id = ? AND username_key = ? AND action = ? AND at <= ?'),
    attemptsOfPoolDelete: p('DELETE FROM attempts WHERE pool_id = ?'),
    attemptsOfUserDelete: p('DELETE FROM attempts WHERE pool_id = ? AND username_key = ?'),
    sessionsOfPoolDelete: p('DELETE FROM sessions WHERE pool_id = ?'),
    sessionsOfUserDelete: p('DELETE FROM sessions WHERE pool_id = ? AND username_key = ?'),
    sessionInsert: p('INSERT OR REPLACE INTO sessions (digest, pool_id, username_key, client_id, expires_at) VALUES (?, ?, ?, ?, ?)'),
    outboxInsert: p(
      `INSERT INTO outbox (pool_id, username, medium, destination, sealed_payload, status, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
    ),
    outboxDue: p(
      `SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?)
       ORDER BY next_attempt_at, id LIMIT ?`,
    ),
    // The outbox_due index starts with status, so this reads only the rows still to send.
    outboxPending: p("SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'sending')"),
    outboxLease: p("UPDATE outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1 WHERE id = ? RETURNING *"),
    outboxSent: p("UPDATE outbox SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?"),
    outboxFailed: p('UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at), lease_until = NULL WHERE id = ?'),
    outboxAll: p('SELECT * FROM outbox ORDER BY id'),
    outboxByPool: p('SELECT * FROM outbox WHERE pool_id = ? ORDER BY id'),
    outboxByUser: p('SELECT * FROM outbox WHERE username = ? ORDER BY id'),
    outboxByPoolUser: p('SELECT * FROM outbox WHERE pool_id = ? AND username = ? ORDER BY id'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
