/**
 * @module DeleteUser: the signed-in user deletes their own account, authorised by the access token
 * alone. The user goes with everything the store keeps for them (aliases, codes, sessions, refresh
 * tokens, group memberships), so the old access token then finds no user and the old refresh
 * token no longer exists (docs/groups.md, account removal).
 */
import type { DeleteUserRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { signedInUser } from './shared/sign-in/signed-in-user.ts';

export function deleteUser(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as DeleteUserRequest;
    const { pool, user } = await signedInUser(s, input.AccessToken, ctx);
    await s.store.deleteUser(pool.id, user.usernameKey);
    return {};
  };
}
