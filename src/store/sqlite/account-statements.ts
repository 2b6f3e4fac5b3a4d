/** @module The SQLite account aggregate's statements: recovery codes, their attempts, and password writes on the user row. */
import { accountCodeSql } from './account-code-statements.ts';

export const accountSql = {
  ...accountCodeSql,
  // Hash, verifier and lockout in one statement, so the two credentials can never disagree.
  passwordSet: `UPDATE users SET password_hash = ?, srp_salt = ?, srp_verifier = ?, password_set_at = ?, status = ?, updated_at = ?,
      failed_attempts = 0, locked_until = 0, last_attempt_at = 0
    WHERE pool_id = ? AND username_key = ?`,
  statusSet: 'UPDATE users SET status = ?, updated_at = ? WHERE pool_id = ? AND username_key = ?',
} as const;

/** The password history (PasswordHistorySize), newest first by a per-user sequence. */
export const historySql = {
  historyList: 'SELECT password_hash FROM password_history WHERE pool_id = ? AND username_key = ? ORDER BY seq DESC',
  historyInsert: `INSERT INTO password_history (pool_id, username_key, seq, password_hash, set_at)
    SELECT ?, ?, coalesce(max(seq), 0) + 1, ?, ? FROM password_history WHERE pool_id = ? AND username_key = ?`,
  historyTrim: `DELETE FROM password_history WHERE pool_id = ? AND username_key = ?
    AND seq <= (SELECT max(seq) FROM password_history WHERE pool_id = ? AND username_key = ?) - ?`,
  historyClear: 'DELETE FROM password_history WHERE pool_id = ? AND username_key = ?',
} as const;
