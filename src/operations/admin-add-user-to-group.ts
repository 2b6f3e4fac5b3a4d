/** @module AdminAddUserToGroup: by username, active alias or `sub`; adding a member again is no error. */
import type { AdminAddUserToGroupRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { membershipAnswer } from './shared/groups/membership.ts';

export function adminAddUserToGroup(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminAddUserToGroupRequest;
    const { pool, user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    return membershipAnswer(await s.store.addUserToGroup(pool.id, input.GroupName, user.usernameKey, ctx.now));
  };
}
