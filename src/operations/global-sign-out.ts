/** @module GlobalSignOut: revokes every refresh token of the signed-in user and the access tokens minted from them. */
import type { GlobalSignOutRequest } from '../model/generated/types.ts';
import type { SignInStore } from '../store/sign-in-store.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { signedInUser } from './shared/sign-in/signed-in-user.ts';

export function globalSignOut(s: Services): OperationHandler {
  const store = s.store as typeof s.store & SignInStore;
  return async (raw, ctx) => {
    const input = raw as unknown as GlobalSignOutRequest;
    const { user } = await signedInUser(s, input.AccessToken, ctx);
    await store.revokeUserTokens(user.poolId, user.usernameKey, ctx.now);
    return {};
  };
}
