/**
 * @module The SQLite groups aggregate: a pool's groups and their members. Each change is one write
 * inside the group commit, which holds SQLite's only write lock, so the checks for the group and
 * the user and the change itself cannot interleave with a deletion of either.
 */
import type { UserRecord } from '../../domain/records.ts';
import { decodeCursor, page, type Page } from '../cursor.ts';
import { groupFromRow, type CreateGroupResult, type GroupChange, type GroupRecord, type GroupStore, type MembershipResult } from '../group-store.ts';
import { userFromRow } from '../rows.ts';
import { prepareAll, type PoolScoped, type Row, type SqliteContext } from './context.ts';
import { groupSql } from './group-statements.ts';

export class SqliteGroupStore implements GroupStore, PoolScoped {
  // Memberships reference groups, so they go first in the wipe.
  readonly tables = ['group_members', 'user_groups'] as const;
  readonly #ctx: SqliteContext;
  readonly #s;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    this.#s = prepareAll(ctx.db, groupSql);
  }

  async createGroup(g: GroupRecord, maxGroups: number): Promise<CreateGroupResult> {
    return this.#ctx.writes.run((): CreateGroupResult => {
      if (!this.#s.poolExists.get(g.poolId)) return { kind: 'pool-not-found' };
      if ((this.#s.groupCount.get(g.poolId) as { n: number }).n >= maxGroups) {
        return this.#s.groupGet.get(g.poolId, g.groupName) ? { kind: 'group-exists' } : { kind: 'limit-exceeded' };
      }
      const r = this.#s.groupInsert.run(g.poolId, g.groupName, g.description, g.roleArn, g.precedence, g.createdAt, g.updatedAt);
      return r.changes === 1 ? { kind: 'created' } : { kind: 'group-exists' };
    });
  }

  async getGroup(poolId: string, groupName: string): Promise<GroupRecord | undefined> {
    const row = this.#s.groupGet.get(poolId, groupName) as Row | undefined;
    return row && groupFromRow(row);
  }

  async listGroups(poolId: string, limit: number, cursor?: string): Promise<Page<GroupRecord>> {
    const rows = this.#s.groupPage.all(poolId, decodeCursor(cursor) ?? '', limit + 1) as Row[];
    return page(rows.map(groupFromRow), limit, (g) => g.groupName);
  }

  async updateGroup(poolId: string, groupName: string, change: GroupChange, now: number): Promise<GroupRecord | undefined> {
    return this.#ctx.writes.run(() => {
      const row = this.#s.groupUpdate.get(change.description ?? null, change.roleArn ?? null, change.precedence ?? null, now, poolId, groupName) as Row | undefined;
      return row && groupFromRow(row);
    });
  }

  async deleteGroup(poolId: string, groupName: string): Promise<boolean> {
    return this.#ctx.writes.run(() => this.#s.groupDelete.run(poolId, groupName).changes === 1);
  }

  async addUserToGroup(poolId: string, groupName: string, usernameKey: string, now: number): Promise<MembershipResult> {
    return this.#ctx.writes.run((): MembershipResult => {
      const missing = this.#missing(poolId, groupName, usernameKey);
      if (missing) return missing;
      this.#s.memberInsert.run(poolId, groupName, usernameKey, now);
      return { kind: 'done' };
    });
  }

  async removeUserFromGroup(poolId: string, groupName: string, usernameKey: string): Promise<MembershipResult> {
    return this.#ctx.writes.run((): MembershipResult => {
      const missing = this.#missing(poolId, groupName, usernameKey);
      if (missing) return missing;
      this.#s.memberDelete.run(poolId, groupName, usernameKey);
      return { kind: 'done' };
    });
  }

  async listGroupsForUser(poolId: string, usernameKey: string, limit: number, cursor?: string): Promise<Page<GroupRecord>> {
    const rows = this.#s.groupsOfUserPage.all(poolId, usernameKey, decodeCursor(cursor) ?? '', limit + 1) as Row[];
    return page(rows.map(groupFromRow), limit, (g) => g.groupName);
  }

  async listUsersInGroup(poolId: string, groupName: string, limit: number, cursor?: string): Promise<Page<UserRecord>> {
    const rows = this.#s.usersOfGroupPage.all(poolId, groupName, decodeCursor(cursor) ?? '', limit + 1) as Row[];
    return page(rows.map(userFromRow), limit, (u) => u.usernameKey);
  }

  async userGroups(poolId: string, usernameKey: string): Promise<GroupRecord[]> {
    return (this.#s.groupsOfUser.all(poolId, usernameKey) as Row[]).map(groupFromRow);
  }

  #missing(poolId: string, groupName: string, usernameKey: string): MembershipResult | undefined {
    if (!this.#s.groupGet.get(poolId, groupName)) return { kind: 'group-not-found' };
    if (!this.#s.userExists.get(poolId, usernameKey)) return { kind: 'user-not-found' };
    return undefined;
  }
}
