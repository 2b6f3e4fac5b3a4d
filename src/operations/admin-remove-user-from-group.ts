/** @module AdminRemoveUserFromGroup: by username, active alias or `sub`; removing a non-member is no error. */
import type { AdminRemoveUserFromGroupRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { membershipAnswer } from './shared/groups/membership.ts';

export function adminRemoveUserFromGroup(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminRemoveUserFromGroupRequest;
    const { pool, user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    return membershipAnswer(await s.store.removeUserFromGroup(pool.id, input.GroupName, user.usernameKey));
  };
}
