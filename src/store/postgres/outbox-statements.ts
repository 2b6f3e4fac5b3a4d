/** @module The PostgreSQL outbox aggregate's statements. */
import { statements } from './context.ts';

const OUTBOX_COLUMNS =
  'id, pool_id, username, medium, destination, sealed_payload, status, attempts, next_attempt_at, last_error, created_at, sent_at';

export const q = statements('outbox', {
  outboxInsert: `INSERT INTO outbox (pool_id, username, medium, destination, sealed_payload, status, next_attempt_at, created_at)
    VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)`,
  // SKIP LOCKED lets instances claim side by side: a row another instance is leasing is passed
  // over, not waited for, and the re-check after the lock keeps a just-leased row from being taken twice.
  outboxClaim: `WITH due AS (
      SELECT id FROM outbox WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)
      ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
    UPDATE outbox o SET status = 'sending', lease_until = $3, attempts = o.attempts + 1 FROM due WHERE o.id = due.id RETURNING ${OUTBOX_COLUMNS.replace(/(\w+)/gu, 'o.$1')}`,
  outboxSent: "UPDATE outbox SET status = 'sent', sent_at = $1, lease_until = NULL, last_error = NULL WHERE id = $2",
  outboxFailed: 'UPDATE outbox SET status = $1, last_error = $2, next_attempt_at = coalesce($3, next_attempt_at), lease_until = NULL WHERE id = $4',
  outboxAll: `SELECT ${OUTBOX_COLUMNS} FROM outbox ORDER BY id`,
  outboxPending: "SELECT count(*)::int AS n, min(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'sending')",
  outboxByPool: `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE pool_id = $1 ORDER BY id`,
  outboxByUser: `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE username = $1 ORDER BY id`,
  outboxByPoolUser: `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE pool_id = $1 AND username = $2 ORDER BY id`,
  // Newest first down the primary key; a filter left null matches every row.
  outboxPage: `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id < $1 AND ($2::text IS NULL OR pool_id = $2) AND ($3::text[] IS NULL OR status = ANY($3::text[]))
    ORDER BY id DESC LIMIT $4`,
  outboxGet: `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = $1`,
  outboxRetry: "UPDATE outbox SET status = 'pending', next_attempt_at = $1, lease_until = NULL WHERE id = $2 AND status = 'failed'",
  // Sent rows are the bulk and never change again; the rest are found through outbox_due.
  outboxWatermark: `SELECT (SELECT coalesce(max(id), 0) FROM outbox) AS top, count(*) AS open, coalesce(sum(attempts), 0) AS tries,
    count(*) FILTER (WHERE status = 'sending') AS sending, count(*) FILTER (WHERE status = 'failed') AS failed
    FROM outbox WHERE status IN ('pending', 'sending', 'failed')`,
});
