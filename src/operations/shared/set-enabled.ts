/** @module The one flag behind AdminDisableUser and AdminEnableUser. */
import type { OperationHandler } from '../context.ts';
import type { Services } from '../services.ts';
import { loadUser } from './admin-entry.ts';

export function setUserEnabled(s: Pick<Services, 'store' | 'gate'>, enabled: boolean): OperationHandler {
  return async (input, ctx) => {
    const { pool, user } = await loadUser(s, String(input.UserPoolId), String(input.Username), ctx);
    await s.store.setUserEnabled(pool.id, user.usernameKey, enabled, ctx.now);
    return {};
  };
}
