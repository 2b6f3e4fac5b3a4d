/**
 * @module AdminResetUserPassword (sign-in spec §11): the user becomes RESET_REQUIRED and is sent a
 * reset code in the same transaction; sign-in then answers PasswordResetRequiredException until
 * ConfirmForgotPassword with that code. The old password stays stored but can no longer sign in.
 */
import { errors } from '../domain/messages.ts';
import type { AdminResetUserPasswordRequest } from '../model/generated/types.ts';
import { CLIENT_ID_NOT_APPLICABLE } from '../triggers/events.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { recoveryChannel } from './shared/recovery/channel.ts';
import { issueRefusal } from './shared/recovery/errors.ts';
import { sendRecoveryCode } from './shared/recovery/recovery-code.ts';
import { judgeIssue } from './shared/recovery/rules.ts';

export function adminResetUserPassword(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminResetUserPasswordRequest;
    const { pool, poolView, user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    const early = judgeIssue(user, { admin: true });
    if (early.kind === 'refuse') throw issueRefusal(early.reason);
    const channel = recoveryChannel(pool, user);
    if (channel.kind === 'admin-only') throw errors.noSelfServiceRecovery();
    if (channel.kind === 'none') throw errors.noRecoveryChannel();

    const origin = { region: s.region, pool: poolView, clientId: CLIENT_ID_NOT_APPLICABLE, userAgent: ctx.userAgent };
    const { result } = await sendRecoveryCode(s, { pool, origin, user, target: channel.target, clientMetadata: input.ClientMetadata, now: ctx.now, admin: true });
    if (result.kind === 'not-found') throw errors.userNotFound();
    if (result.kind === 'limited') throw errors.attemptLimit();
    if (result.kind === 'refused') throw issueRefusal(result.reason);
    s.wakeOutbox();
    return {};
  };
}
