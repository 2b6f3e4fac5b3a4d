/** @module DeleteGroup: the group and its memberships; the members themselves stay. */
import { errors } from '../domain/messages.ts';
import type { DeleteGroupRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';

export function deleteGroup(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as DeleteGroupRequest;
    const { pool } = await loadPool(s, input.UserPoolId, ctx);
    if (!(await s.store.deleteGroup(pool.id, input.GroupName))) throw errors.groupNotFound();
    return {};
  };
}
