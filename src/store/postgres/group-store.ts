/**
 * @module The PostgreSQL groups aggregate: a pool's groups and their members. A membership change
 * holds KEY SHARE locks on the group and the user for its transaction, so a DeleteGroup or
 * DeleteUser on another instance either runs before it (and the change reports the loss) or
 * waits for it (and its cascade then takes the new row).
 */
import type pg from 'pg';
import type { UserRecord } from '../../domain/records.ts';
import { decodeCursor, page, type Page } from '../cursor.ts';
import { groupFromRow, type CreateGroupResult, type GroupChange, type GroupRecord, type GroupStore, type MembershipResult } from '../group-store.ts';
import { userFromRow } from '../rows.ts';
import { first, type PoolScoped } from './context.ts';
import { q } from './group-statements.ts';
import { inTransaction } from './transaction.ts';

export class PostgresGroupStore implements GroupStore, PoolScoped {
  // Memberships reference groups, so they go first in the wipe.
  readonly tables = ['group_members', 'user_groups'] as const;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async createGroup(g: GroupRecord, maxGroups: number): Promise<CreateGroupResult> {
    const values = [g.poolId, g.groupName, g.description, g.roleArn, g.precedence, g.createdAt, g.updatedAt];
    return inTransaction(this.#pool, async (c): Promise<CreateGroupResult> => {
      if (!(await first(c, q('poolLock', [g.poolId])))) return { kind: 'pool-not-found' };
      if (Number((await first(c, q('groupCount', [g.poolId])))!.n) >= maxGroups) {
        return (await first(c, q('groupGet', [g.poolId, g.groupName]))) ? { kind: 'group-exists' } : { kind: 'limit-exceeded' };
      }
      return (await c.query(q('groupInsert', values))).rowCount === 1 ? { kind: 'created' } : { kind: 'group-exists' };
    });
  }

  async getGroup(poolId: string, groupName: string): Promise<GroupRecord | undefined> {
    const row = await first(this.#pool, q('groupGet', [poolId, groupName]));
    return row && groupFromRow(row);
  }

  async listGroups(poolId: string, limit: number, cursor?: string): Promise<Page<GroupRecord>> {
    const { rows } = await this.#pool.query(q('groupPage', [poolId, decodeCursor(cursor) ?? '', limit + 1]));
    return page(rows.map(groupFromRow), limit, (g) => g.groupName);
  }

  async updateGroup(poolId: string, groupName: string, change: GroupChange, now: number): Promise<GroupRecord | undefined> {
    const values = [change.description ?? null, change.roleArn ?? null, change.precedence ?? null, now, poolId, groupName];
    const row = await first(this.#pool, q('groupUpdate', values));
    return row && groupFromRow(row);
  }

  async deleteGroup(poolId: string, groupName: string): Promise<boolean> {
    return (await this.#pool.query(q('groupDelete', [poolId, groupName]))).rowCount === 1;
  }

  async addUserToGroup(poolId: string, groupName: string, usernameKey: string, now: number): Promise<MembershipResult> {
    return inTransaction(this.#pool, async (c): Promise<MembershipResult> => {
      const missing = await lockBoth(c, poolId, groupName, usernameKey);
      if (missing) return missing;
      await c.query(q('memberInsert', [poolId, groupName, usernameKey, now]));
      return { kind: 'done' };
    });
  }

  async removeUserFromGroup(poolId: string, groupName: string, usernameKey: string): Promise<MembershipResult> {
    return inTransaction(this.#pool, async (c): Promise<MembershipResult> => {
      const missing = await lockBoth(c, poolId, groupName, usernameKey);
      if (missing) return missing;
      await c.query(q('memberDelete', [poolId, groupName, usernameKey]));
      return { kind: 'done' };
    });
  }

  async listGroupsForUser(poolId: string, usernameKey: string, limit: number, cursor?: string): Promise<Page<GroupRecord>> {
    const { rows } = await this.#pool.query(q('groupsOfUserPage', [poolId, usernameKey, decodeCursor(cursor) ?? '', limit + 1]));
    return page(rows.map(groupFromRow), limit, (g) => g.groupName);
  }

  async listUsersInGroup(poolId: string, groupName: string, limit: number, cursor?: string): Promise<Page<UserRecord>> {
    const { rows } = await this.#pool.query(q('usersOfGroupPage', [poolId, groupName, decodeCursor(cursor) ?? '', limit + 1]));
    return page(rows.map(userFromRow), limit, (u) => u.usernameKey);
  }

  async userGroups(poolId: string, usernameKey: string): Promise<GroupRecord[]> {
    return (await this.#pool.query(q('groupsOfUser', [poolId, usernameKey]))).rows.map(groupFromRow);
  }
}

/** The group first, then the user: one order for every membership change, so two cannot deadlock. */
async function lockBoth(c: pg.PoolClient, poolId: string, groupName: string, usernameKey: string): Promise<MembershipResult | undefined> {
  if (!(await first(c, q('groupShare', [poolId, groupName])))) return { kind: 'group-not-found' };
  if (!(await first(c, q('userShare', [poolId, usernameKey])))) return { kind: 'user-not-found' };
  return undefined;
}
