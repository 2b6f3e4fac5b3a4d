/** @module The SQLite groups aggregate's statements: groups, memberships, and the reads that join them to users. */

const GROUP_COLUMNS = 'pool_id, group_name, description, role_arn, precedence, created_at, updated_at';
const GROUP_COLUMNS_OF_G = GROUP_COLUMNS.replace(/(\w+)/gu, 'g.$1');

export const groupSql = {
  poolExists: 'SELECT 1 FROM user_pools WHERE id = ?',
  userExists: 'SELECT 1 FROM users WHERE pool_id = ? AND username_key = ?',
  groupInsert: `INSERT INTO user_groups (pool_id, group_name, description, role_arn, precedence, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  groupGet: `SELECT ${GROUP_COLUMNS} FROM user_groups WHERE pool_id = ? AND group_name = ?`,
  groupCount: 'SELECT count(*) AS n FROM user_groups WHERE pool_id = ?',
  groupPage: `SELECT ${GROUP_COLUMNS} FROM user_groups WHERE pool_id = ? AND group_name > ? ORDER BY group_name LIMIT ?`,
  // A member left out of UpdateGroup is bound as NULL and keeps its value.
  groupUpdate: `UPDATE user_groups SET description = coalesce(?, description), role_arn = coalesce(?, role_arn),
      precedence = coalesce(?, precedence), updated_at = ?
    WHERE pool_id = ? AND group_name = ? RETURNING ${GROUP_COLUMNS}`,
  // The memberships go by ON DELETE CASCADE.
  groupDelete: 'DELETE FROM user_groups WHERE pool_id = ? AND group_name = ?',
  memberInsert: 'INSERT INTO group_members (pool_id, group_name, username_key, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  memberDelete: 'DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND username_key = ?',
  // group_members_by_user finds the user's rows; at most a hundred or so are sorted.
  groupsOfUserPage: `SELECT ${GROUP_COLUMNS_OF_G} FROM group_members m
      JOIN user_groups g ON g.pool_id = m.pool_id AND g.group_name = m.group_name
    WHERE m.pool_id = ? AND m.username_key = ? AND m.group_name > ? ORDER BY m.group_name LIMIT ?`,
  groupsOfUser: `SELECT ${GROUP_COLUMNS_OF_G} FROM group_members m
      JOIN user_groups g ON g.pool_id = m.pool_id AND g.group_name = m.group_name
    WHERE m.pool_id = ? AND m.username_key = ? ORDER BY m.group_name`,
  // The primary key (pool_id, group_name, username_key) gives the page in order.
  usersOfGroupPage: `SELECT u.* FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.username_key = m.username_key
    WHERE m.pool_id = ? AND m.group_name = ? AND m.username_key > ? ORDER BY m.username_key LIMIT ?`,
} as const;
