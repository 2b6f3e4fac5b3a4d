/** @module UpdateGroup: changes the description, IAM role or precedence given; members left out keep their values. */
import { errors } from '../domain/messages.ts';
import type { UpdateGroupRequest } from '../model/generated/types.ts';
import type { GroupChange } from '../store/group-store.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { groupShape } from './shared/groups/group-shape.ts';

export function updateGroup(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as UpdateGroupRequest;
    const { pool } = await loadPool(s, input.UserPoolId, ctx);
    const change: GroupChange = {
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
      ...(input.Precedence !== undefined ? { precedence: input.Precedence } : {}),
    };
    const group = await s.store.updateGroup(pool.id, input.GroupName, change, ctx.now);
    if (!group) throw errors.groupNotFound();
    return { Group: groupShape(group) };
  };
}
