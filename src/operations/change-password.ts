/**
 * @module ChangePassword (sign-in spec §11), authorised by the access token: the previous password
 * is proved like a sign-in (a wrong one is counted toward the sign-in lockout, and while locked
 * the answer is LimitExceededException), then the new one, if it is none of the user's last
 * PasswordHistorySize passwords, replaces it. Tokens stay valid.
 */
import { afterFailure, current, isLocked } from '../domain/lockout.ts';
import { errors } from '../domain/messages.ts';
import type { ChangePasswordRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { newPassword } from './shared/recovery/new-password.ts';
import { checkHistory } from './shared/recovery/password-history.ts';
import { signedInUser } from './shared/sign-in/signed-in-user.ts';

export function changePassword(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as ChangePasswordRequest;
    const { pool, poolView, user } = await signedInUser(s, input.AccessToken, ctx);
    const credentials = await s.store.getCredentials(pool.id, user.usernameKey);
    if (!credentials) throw errors.userNotFound();

    if (credentials.passwordHash !== null) {
      if (input.PreviousPassword === undefined) throw errors.missingPreviousPassword();
      if (isLocked(current(credentials.lockout, ctx.now, s.lockout), ctx.now)) throw errors.attemptLimit();
      const ok = input.PreviousPassword !== '' && (await s.passwords.verify(credentials.passwordHash, input.PreviousPassword));
      if (!ok) {
        await s.store.recordPasswordFailure(pool.id, user.usernameKey, ctx.now, (state) => afterFailure(state, ctx.now, s.lockout));
        throw errors.badCredentials();
      }
    }

    const password = await newPassword(s, poolView, user.username, input.ProposedPassword);
    // After the proof: otherwise the answer would tell a caller without the password which ones were used.
    const history = await checkHistory(s, pool, user.usernameKey, input.ProposedPassword);
    if (history.reused) throw errors.passwordHistoryViolation();
    const result = await s.store.replacePassword({
      poolId: pool.id,
      usernameKey: user.usernameKey,
      now: ctx.now,
      password,
      expectedHash: credentials.passwordHash,
      history: history.guard,
    });
    if (result.kind === 'not-found') throw errors.userNotFound();
    // Another change won the race: the password just proved is no longer the user's (the history
    // changes only with the password, so a changed history means the same).
    if (result.kind !== 'replaced') throw errors.badCredentials();
    return {};
  };
}
