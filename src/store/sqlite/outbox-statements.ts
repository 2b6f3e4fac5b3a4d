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
  // Newest first down the primary key; a filter left null matches every row.
  outboxPage: `SELECT * FROM outbox WHERE id < ? AND (? IS NULL OR pool_id = ?) AND (? IS NULL OR status IN (?, ?))
    ORDER BY id DESC LIMIT ?`,
  outboxGet: 'SELECT * FROM outbox WHERE id = ?',
  outboxRetry: "UPDATE outbox SET status = 'pending', next_attempt_at = ?, lease_until = NULL WHERE id = ? AND status = 'failed'",
  // Sent rows are the bulk and never change again; the rest are found through outbox_due.
  outboxWatermark: `SELECT (SELECT coalesce(max(id), 0) FROM outbox) AS top, count(*) AS open, coalesce(sum(attempts), 0) AS tries,
    coalesce(sum(CASE WHEN status = 'sending' THEN 1 ELSE 0 END), 0) AS sending, coalesce(sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) AS failed
    FROM outbox WHERE status IN ('pending', 'sending', 'failed')`,
} as const;
