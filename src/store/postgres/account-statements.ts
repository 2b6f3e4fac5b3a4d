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
