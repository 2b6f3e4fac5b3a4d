/** @module The SQLite attributes aggregate's statements: the user row, its aliases, attribute codes and their attempts. */
import { accountCodeSql } from './account-code-statements.ts';

export const attributeSql = {
  ...accountCodeSql,
  userWrite: 'UPDATE users SET attributes = ?, pending_attributes = ?, updated_at = ? WHERE pool_id = ? AND username_key = ?',
  aliasOwner: 'SELECT username_key FROM aliases WHERE pool_id = ? AND attribute = ? AND value_key = ?',
  aliasInsert: 'INSERT INTO aliases (pool_id, attribute, value_key, username_key) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  // Only the user's own row goes: a value another user holds stays theirs.
  aliasRelease: 'DELETE FROM aliases WHERE pool_id = ? AND attribute = ? AND value_key = ? AND username_key = ?',
} as const;
