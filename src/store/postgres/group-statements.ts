/** @module The PostgreSQL groups aggregate's statements: groups, memberships, and the reads that join them to users. */
import { statements } from './context.ts';
import { USER_COLUMNS } from './user-statements.ts';

// Explicit column lists, not `*`: a prepared `SELECT *` breaks on pooled connections once a later
// migration adds a column under running instances.
const GROUP_COLUMNS = 'pool_id, group_name, description, role_arn, precedence, created_at, updated_at';
const GROUP_COLUMNS_OF_G = GROUP_COLUMNS.replace(/(\w+)/gu, 'g.$1');

export const q = statements('groups', {
  groupInsert: `INSERT INTO user_groups (pool_id, group_name, description, role_arn, precedence, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
  groupGet: `SELECT ${GROUP_COLUMNS} FROM user_groups WHERE pool_id = $1 AND group_name = $2`,
  // NO KEY UPDATE serialises group creations in one pool without blocking inserts that reference it.
  poolLock: 'SELECT 1 FROM user_pools WHERE id = $1 FOR NO KEY UPDATE',
  groupCount: 'SELECT count(*)::int AS n FROM user_groups WHERE pool_id = $1',
  // KEY SHARE: a concurrent DeleteGroup waits until the membership change has committed, and that
  // change does not wait for an UpdateGroup.
  groupShare: 'SELECT 1 FROM user_groups WHERE pool_id = $1 AND group_name = $2 FOR KEY SHARE',
  userShare: 'SELECT 1 FROM users WHERE pool_id = $1 AND username_key = $2 FOR KEY SHARE',
  groupPage: `SELECT ${GROUP_COLUMNS} FROM user_groups WHERE pool_id = $1 AND group_name > $2 ORDER BY group_name LIMIT $3`,
  // A member left out of UpdateGroup is bound as NULL and keeps its value.
  groupUpdate: `UPDATE user_groups SET description = coalesce($1, description), role_arn = coalesce($2, role_arn),
      precedence = coalesce($3, precedence), updated_at = $4
    WHERE pool_id = $5 AND group_name = $6 RETURNING ${GROUP_COLUMNS}`,
  // The memberships go by ON DELETE CASCADE.
  groupDelete: 'DELETE FROM user_groups WHERE pool_id = $1 AND group_name = $2',
  memberInsert: 'INSERT INTO group_members (pool_id, group_name, username_key, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
  memberDelete: 'DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND username_key = $3',
  // group_members_by_user finds the user's rows; at most a hundred or so are sorted.
  groupsOfUserPage: `SELECT ${GROUP_COLUMNS_OF_G} FROM group_members m
      JOIN user_groups g ON g.pool_id = m.pool_id AND g.group_name = m.group_name
    WHERE m.pool_id = $1 AND m.username_key = $2 AND m.group_name > $3 ORDER BY m.group_name LIMIT $4`,
  groupsOfUser: `SELECT ${GROUP_COLUMNS_OF_G} FROM group_members m
      JOIN user_groups g ON g.pool_id = m.pool_id AND g.group_name = m.group_name
    WHERE m.pool_id = $1 AND m.username_key = $2 ORDER BY m.group_name`,
  // The primary key (pool_id, group_name, username_key) gives the page in order.
  usersOfGroupPage: `SELECT ${USER_COLUMNS.replace(/(\w+)/gu, 'u.$1')} FROM group_members m
      JOIN users u ON u.pool_id = m.pool_id AND u.username_key = m.username_key
    WHERE m.pool_id = $1 AND m.group_name = $2 AND m.username_key > $3 ORDER BY m.username_key LIMIT $4`,
});
