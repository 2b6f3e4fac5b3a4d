/** @module AdminDeleteUser: the user with its aliases, code, attempts and sessions. */
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
