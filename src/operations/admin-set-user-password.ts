/**
 * @module AdminSetUserPassword (sign-in spec §11): a permanent password makes the user CONFIRMED; a
 * temporary one makes them FORCE_CHANGE_PASSWORD with a fresh validity window, so the next sign-in
 * answers NEW_PASSWORD_REQUIRED. Hash, verifier, status, a cleared lockout and the password history
 * are one write; a password among the user's last PasswordHistorySize ones is refused.
 */
import { activatedAliases } from '../domain/confirmation.ts';
import { errors } from '../domain/messages.ts';
import type { AdminSetUserPasswordRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { newPassword } from './shared/recovery/new-password.ts';
import { checkHistory, HISTORY_TRIES } from './shared/recovery/password-history.ts';

export function adminSetUserPassword(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminSetUserPasswordRequest;
    const { pool, poolView, user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    const password = await newPassword(s, poolView, user.username, input.Password);
    for (let tries = 0; tries < HISTORY_TRIES; tries++) {
      const history = await checkHistory(s, pool, user.usernameKey, input.Password);
      if (history.reused) throw errors.passwordHistoryViolation();
      const result = await s.store.replacePassword({
        poolId: pool.id,
        usernameKey: user.usernameKey,
        now: ctx.now,
        password,
        status: input.Permanent === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
        history: history.guard,
        // An unconfirmed user becomes CONFIRMED (aws/aws-sdk-js#2976), so its verified email and
        // phone aliases activate as AdminConfirmSignUp activates them.
        confirmAliases: input.Permanent === true ? activatedAliases(poolView, user.attributes) : undefined,
      });
      if (result.kind === 'replaced') return {};
      if (result.kind === 'alias-exists') throw errors.aliasExists(result.attribute);
      if (result.kind !== 'history-changed') throw errors.userNotFound();
    }
    throw errors.internal();
  };
}
