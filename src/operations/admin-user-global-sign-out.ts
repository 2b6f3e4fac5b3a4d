/** @module AdminUserGlobalSignOut: a back end signs a user out of every device. */
import type { AdminUserGlobalSignOutRequest } from '../model/generated/types.ts';
import type { SignInStore } from '../store/sign-in-store.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';

export function adminUserGlobalSignOut(s: Services): OperationHandler {
  const store = s.store as typeof s.store & SignInStore;
  return async (raw, ctx) => {
    const input = raw as unknown as AdminUserGlobalSignOutRequest;
    const { user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    await store.revokeUserTokens(user.poolId, user.usernameKey, ctx.now);
    return {};
  };
}
