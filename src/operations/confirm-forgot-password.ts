/**
 * @module ConfirmForgotPassword (sign-in spec §11): the new password is checked against the policy
 * and hashed first, then one store transaction counts the attempt, judges the code and, if it is
 * right and live, consumes it and sets the password, CONFIRMED and the password history together; a
 * right code with a password among the user's last PasswordHistorySize ones is refused and the
 * code stays live. PostConfirmation
 * (PostConfirmation_ConfirmForgotPassword) runs after the commit, as for ConfirmSignUp.
 */
import { accountCodeMatches, standInAccountCode } from '../domain/account-codes.ts';
import { errors } from '../domain/messages.ts';
import { passwordHistorySize } from '../domain/password-policy.ts';
import type { UserRecord } from '../domain/records.ts';
import { usernameKey } from '../domain/usernames.ts';
import type { ConfirmForgotPasswordRequest } from '../model/generated/types.ts';
import { postConfirmationEvent } from '../triggers/events.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { enterForUser } from './shared/entry.ts';
import { redeemRefusal } from './shared/recovery/errors.ts';
import { newPassword } from './shared/recovery/new-password.ts';
import { checkHistory, HISTORY_TRIES, type HistoryCheck } from './shared/recovery/password-history.ts';
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
    // An unknown name pays one argon2id verification too, the cost of a user with a single password.
    const historyFor = async (known: boolean): Promise<HistoryCheck> => {
      if (known) return checkHistory(s, pool, user.usernameKey, input.Password);
      if (passwordHistorySize(pool.settings) > 0) await s.passwords.verify(password.passwordHash, input.Password);
      return { reused: false };
    };

    const redeem = (history: HistoryCheck) =>
      s.store.redeemRecoveryCode({
        poolId: pool.id,
        usernameKey: user.usernameKey,
        now: ctx.now,
        windowStart: ctx.now - RECOVERY_WINDOW_MS,
        password,
        standIn: found ? undefined : { user, code: standInAccountCode(s.box, 'forgot_password', ctx.now) },
        history: history.guard,
        judge: (state) =>
          judgeRedemption(
            { now: ctx.now, reused: history.reused, matches: (code) => accountCodeMatches(s.box, pool.id, user.usernameKey, input.ConfirmationCode, code) },
            state,
          ),
      });
    let result = await redeem(await historyFor(found !== undefined));
    for (let tries = 1; result.kind === 'history-changed' && tries < HISTORY_TRIES; tries++) result = await redeem(await historyFor(true));
    if (result.kind === 'history-changed') throw errors.internal();
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
