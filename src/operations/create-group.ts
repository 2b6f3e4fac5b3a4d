/** @module CreateGroup: a named group in a pool, with an optional description, IAM role and precedence. */
import { errors } from '../domain/messages.ts';
import type { CreateGroupRequest } from '../model/generated/types.ts';
import type { GroupRecord } from '../store/group-store.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { groupShape } from './shared/groups/group-shape.ts';

/** "Maximum number of groups per user pool" (docs/groups.md, DG-Q). */
export const MAX_GROUPS_PER_POOL = 10_000;

export function createGroup(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as CreateGroupRequest;
    const { pool } = await loadPool(s, input.UserPoolId, ctx);
    const group: GroupRecord = {
      poolId: pool.id,
      groupName: input.GroupName,
      description: input.Description ?? null,
      roleArn: input.RoleArn ?? null,
      precedence: input.Precedence ?? null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    const created = await s.store.createGroup(group, MAX_GROUPS_PER_POOL);
    if (created.kind === 'group-exists') throw errors.groupExists(group.groupName);
    if (created.kind === 'limit-exceeded') throw errors.tooManyGroups(MAX_GROUPS_PER_POOL);
    if (created.kind === 'pool-not-found') throw errors.poolNotFound(pool.id);
    return { Group: groupShape(group) };
  };
}
