/**
 * @module ChangePassword (sign-in spec §11), authorised by the access token: the previous password
 * is proved like a sign-in (a wrong one is counted toward the sign-in lockout, and while locked
 * the answer is LimitExceededException), then the new one replaces it. Tokens stay valid.
 */
import { afterFailure, current, isLocked } from '../domain/lockout.ts';
import { errors } from '../domain/messages.ts';
import type { ChangePasswordRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { newPassword } from './shared/recovery/new-password.ts';
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
    const result = await s.store.replacePassword({ poolId: pool.id, usernameKey: user.usernameKey, now: ctx.now, password, expectedHash: credentials.passwordHash });
    if (result.kind === 'not-found') throw errors.userNotFound();
    // Another change won the race: the password just proved is no longer the user's.
    if (result.kind === 'changed-meanwhile') throw errors.badCredentials();
    return {};
  };
}
