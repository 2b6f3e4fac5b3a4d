/**
 * @module ConfirmForgotPassword (sign-in spec §11): the new password is checked against the policy
 * and hashed first, then one store transaction counts the attempt, judges the code and, if it is
 * right and live, consumes it and sets the password and CONFIRMED together. PostConfirmation
 * (PostConfirmation_ConfirmForgotPassword) runs after the commit, as for ConfirmSignUp.
 */
import { accountCodeMatches, standInAccountCode } from '../domain/account-codes.ts';
import { errors } from '../domain/messages.ts';
import type { UserRecord } from '../domain/records.ts';
import { usernameKey } from '../domain/usernames.ts';
import type { ConfirmForgotPasswordRequest } from '../model/generated/types.ts';
import { postConfirmationEvent } from '../triggers/events.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { enterForUser } from './shared/entry.ts';
import { redeemRefusal } from './shared/recovery/errors.ts';
import { newPassword } from './shared/recovery/new-password.ts';
import { judgeRedemption, RECOVERY_WINDOW_MS } from './shared/recovery/rules.ts';

export function confirmForgotPassword(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as ConfirmForgotPasswordRequest;
    const { client, pool, poolView, clientView, user: found } = await enterForUser(s, input, ctx, input.UserContextData);
    const hide = clientView.preventUserExistenceErrors;
    if (!found && !hide) throw errors.userNotFoundForClient();
    // With existence errors prevented, an unknown name goes through the same hashing, transaction,
    // HMAC and attempt limit as a known one, so neither its answer nor its timing tells them apart.
    const user = found ?? standInUser(pool.id, input.Username, usernameKey(poolView, input.Username), ctx.now);
    const password = await newPassword(s, poolView, user.username, input.Password);

    const result = await s.store.redeemRecoveryCode({
      poolId: pool.id,
      usernameKey: user.usernameKey,
      now: ctx.now,
      windowStart: ctx.now - RECOVERY_WINDOW_MS,
      password,
      standIn: found ? undefined : { user, code: standInAccountCode(s.box, 'forgot_password', ctx.now) },
      judge: (state) =>
        judgeRedemption({ now: ctx.now, matches: (code) => accountCodeMatches(s.box, pool.id, user.usernameKey, input.ConfirmationCode, code) }, state),
    });
    if (result.kind === 'not-found') throw hide ? errors.codeMismatch() : errors.userNotFoundForClient();
    if (result.kind === 'refused') throw redeemRefusal(result.reason, hide);

    const origin = { region: s.region, pool: poolView, clientId: client.clientId, userAgent: ctx.userAgent };
    await s.triggers.run(pool, 'PostConfirmation', postConfirmationEvent(origin, result.user, input.ClientMetadata, 'PostConfirmation_ConfirmForgotPassword'));
    return {};
  };
}

function standInUser(poolId: string, username: string, key: string, now: number): UserRecord {
  return { poolId, username, usernameKey: key, sub: '', status: 'CONFIRMED', enabled: true, attributes: {}, passwordHash: null, createdAt: now, updatedAt: now };
}
