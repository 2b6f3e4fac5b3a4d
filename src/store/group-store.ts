/**
 * @module The groups aggregate's contract: a pool's groups and their members. Every intent is one
 * transaction; membership changes check the group and the user inside it, so a group or user
 * deleted meanwhile is reported, never half-joined. Rows go with their pool, group or user by
 * foreign key (migration 005).
 */
import type { UserRecord } from '../domain/records.ts';
import type { Page } from './cursor.ts';

export interface GroupRecord {
  poolId: string;
  groupName: string;
  description: string | null;
  roleArn: string | null;
  precedence: number | null;
  createdAt: number;
  updatedAt: number;
}

/** UpdateGroup: a member left out keeps its value ("updates any of the properties", docs/groups.md). */
export interface GroupChange {
  description?: string;
  roleArn?: string;
  precedence?: number;
}

export type CreateGroupResult = { kind: 'created' } | { kind: 'group-exists' } | { kind: 'limit-exceeded' } | { kind: 'pool-not-found' };

export type MembershipResult = { kind: 'done' } | { kind: 'group-not-found' } | { kind: 'user-not-found' };

export interface GroupStore {
  /**
   * Counts the pool's groups under a lock on the pool, so instances creating groups at once cannot
   * pass `maxGroups` together; a taken name is `group-exists` even at the limit. `pool-not-found`
   * when the pool was deleted after the caller looked it up.
   */
  createGroup(group: GroupRecord, maxGroups: number): Promise<CreateGroupResult>;
  getGroup(poolId: string, groupName: string): Promise<GroupRecord | undefined>;
  /** In group-name order. */
  listGroups(poolId: string, limit: number, cursor?: string): Promise<Page<GroupRecord>>;
  /** The group as it is after the change; undefined when there is no such group. */
  updateGroup(poolId: string, groupName: string, change: GroupChange, now: number): Promise<GroupRecord | undefined>;
  /** Takes the group's memberships with it. */
  deleteGroup(poolId: string, groupName: string): Promise<boolean>;
  /** Adding a member twice changes nothing and still answers `done`. */
  addUserToGroup(poolId: string, groupName: string, usernameKey: string, now: number): Promise<MembershipResult>;
  /** Removing a user who is not a member changes nothing and still answers `done`. */
  removeUserFromGroup(poolId: string, groupName: string, usernameKey: string): Promise<MembershipResult>;
  /** The user's groups in group-name order; the caller has checked the user exists. */
  listGroupsForUser(poolId: string, usernameKey: string, limit: number, cursor?: string): Promise<Page<GroupRecord>>;
  /** The group's members in username order; the caller has checked the group exists. */
  listUsersInGroup(poolId: string, groupName: string, limit: number, cursor?: string): Promise<Page<UserRecord>>;
  /** Every group of the user, in group-name order, in one indexed read: what a token issue needs. */
  userGroups(poolId: string, usernameKey: string): Promise<GroupRecord[]>;
}

type Row = Record<string, unknown>;

/** One mapping for both backends (PostgreSQL returns BIGINT as text). */
export function groupFromRow(row: Row): GroupRecord {
  return {
    poolId: String(row.pool_id),
    groupName: String(row.group_name),
    description: row.description == null ? null : String(row.description),
    roleArn: row.role_arn == null ? null : String(row.role_arn),
    precedence: row.precedence == null ? null : Number(row.precedence),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
