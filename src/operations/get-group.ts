/** @module GetGroup: one group of a pool by its exact name. */
import { errors } from '../domain/messages.ts';
import type { GetGroupRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { groupShape } from './shared/groups/group-shape.ts';

export function getGroup(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as GetGroupRequest;
    const { pool } = await loadPool(s, input.UserPoolId, ctx);
    const group = await s.store.getGroup(pool.id, input.GroupName);
    if (!group) throw errors.groupNotFound();
    return { Group: groupShape(group) };
  };
}
