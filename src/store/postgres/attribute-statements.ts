/** @module The PostgreSQL attributes aggregate's statements: the user row, its aliases, attribute codes and their attempts. */
import { accountCodeSql } from './account-code-statements.ts';
import { statements } from './context.ts';

export const q = statements('attributes', {
  ...accountCodeSql,
  userWrite: 'UPDATE users SET attributes = $1, pending_attributes = $2, updated_at = $3 WHERE pool_id = $4 AND username_key = $5',
  // The same lock key as the users aggregate's, so a claim here and a sign-up or confirmation elsewhere serialise.
  aliasLock: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
  aliasOwner: 'SELECT username_key FROM aliases WHERE pool_id = $1 AND attribute = $2 AND value_key = $3',
  aliasInsert: 'INSERT INTO aliases (pool_id, attribute, value_key, username_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
  // Only the user's own row goes: a value another user holds stays theirs.
  aliasRelease: 'DELETE FROM aliases WHERE pool_id = $1 AND attribute = $2 AND value_key = $3 AND username_key = $4',
});
