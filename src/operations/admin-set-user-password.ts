/**
 * @module AdminSetUserPassword (sign-in spec §11): a permanent password makes the user CONFIRMED; a
 * temporary one makes them FORCE_CHANGE_PASSWORD with a fresh validity window, so the next sign-in
 * answers NEW_PASSWORD_REQUIRED. Hash, verifier, status and a cleared lockout are one write.
 */
import { errors } from '../domain/messages.ts';
import type { AdminSetUserPasswordRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { newPassword } from './shared/recovery/new-password.ts';

export function adminSetUserPassword(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminSetUserPasswordRequest;
    const { pool, poolView, user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    const password = await newPassword(s, poolView, user.username, input.Password);
    const result = await s.store.replacePassword({
      poolId: pool.id,
      usernameKey: user.usernameKey,
      now: ctx.now,
      password,
      status: input.Permanent === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
    });
    if (result.kind !== 'replaced') throw errors.userNotFound();
    return {};
  };
}
