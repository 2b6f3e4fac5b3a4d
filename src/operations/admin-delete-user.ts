/**
 * @module AdminDeleteUser: the user with everything the store keeps for them (aliases, codes,
 * attempts, auth sessions, refresh tokens, group memberships), in one transaction. The user's old
 * access tokens then find no user and their refresh tokens no longer exist (docs/groups.md).
 */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';

export function adminDeleteUser(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool, user } = await loadUser(s, String(input.UserPoolId), String(input.Username), ctx);
    await s.store.deleteUser(pool.id, user.usernameKey);
    return {};
  };
}
