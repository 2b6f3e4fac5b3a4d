/** @module The PostgreSQL account aggregate's statements: recovery codes, their attempts, and password writes on the user row. */
import { accountCodeSql } from './account-code-statements.ts';
import { statements } from './context.ts';

export const q = statements('accounts', {
  ...accountCodeSql,
  // Hash, verifier and lockout in one statement, so the two credentials can never disagree.
  passwordSet: `UPDATE users SET password_hash = $1, srp_salt = $2, srp_verifier = $3, password_set_at = $4, status = $5, updated_at = $6,
      failed_attempts = 0, locked_until = 0, last_attempt_at = 0
    WHERE pool_id = $7 AND username_key = $8`,
  statusSet: 'UPDATE users SET status = $1, updated_at = $2 WHERE pool_id = $3 AND username_key = $4',
});

/** The password history (PasswordHistorySize), newest first by a per-user sequence. */
export const h = statements('password_history', {
  historyList: 'SELECT password_hash FROM password_history WHERE pool_id = $1 AND username_key = $2 ORDER BY seq DESC',
  historyInsert: `INSERT INTO password_history (pool_id, username_key, seq, password_hash, set_at)
    SELECT $1::text, $2::text, coalesce(max(seq), 0) + 1, $3::text, $4::bigint FROM password_history WHERE pool_id = $1 AND username_key = $2`,
  historyTrim: `DELETE FROM password_history WHERE pool_id = $1 AND username_key = $2
    AND seq <= (SELECT max(seq) FROM password_history WHERE pool_id = $1 AND username_key = $2) - $3::bigint`,
  historyClear: 'DELETE FROM password_history WHERE pool_id = $1 AND username_key = $2',
  passwordHashGet: 'SELECT password_hash FROM users WHERE pool_id = $1 AND username_key = $2',
});
