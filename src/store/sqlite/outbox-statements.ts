/** @module The SQLite outbox aggregate's statements. */

export const outboxSql = {
  outboxInsert: `INSERT INTO outbox (pool_id, username, medium, destination, sealed_payload, status, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
  outboxDue: `SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?)
    ORDER BY next_attempt_at, id LIMIT ?`,
  // The outbox_due index starts with status, so this reads only the rows still to send.
  outboxPending: "SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'sending')",
  outboxLease: "UPDATE outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1 WHERE id = ? RETURNING *",
  outboxSent: "UPDATE outbox SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?",
  outboxFailed: 'UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = coalesce(?, next_attempt_at), lease_until = NULL WHERE id = ?',
  outboxAll: 'SELECT * FROM outbox ORDER BY id',
  outboxByPool: 'SELECT * FROM outbox WHERE pool_id = ? ORDER BY id',
  outboxByUser: 'SELECT * FROM outbox WHERE username = ? ORDER BY id',
  outboxByPoolUser: 'SELECT * FROM outbox WHERE pool_id = ? AND username = ? ORDER BY id',
} as const;
