/** @module GlobalSignOut: revokes every refresh token of the signed-in user and the access tokens minted from them. */
import type { GlobalSignOutRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { signedInUser } from './shared/sign-in/signed-in-user.ts';

export function globalSignOut(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as GlobalSignOutRequest;
    const { user } = await signedInUser(s, input.AccessToken, ctx);
    await s.store.revokeUserTokens(user.poolId, user.usernameKey, ctx.now);
    return {};
  };
}
