/** @module AdminUserGlobalSignOut: a back end signs a user out of every device. */
import type { AdminUserGlobalSignOutRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';

export function adminUserGlobalSignOut(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminUserGlobalSignOutRequest;
    const { user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    await s.store.revokeUserTokens(user.poolId, user.usernameKey, ctx.now);
    return {};
  };
}
