/**
 * @module ForgotPassword (sign-in spec §11): a six-digit code valid one hour, sent by the pool's
 * recovery channel to a verified email or phone number, replacing any earlier code; counted
 * against a per-user hourly limit. With PreventUserExistenceErrors an unknown or disabled user, or
 * one with no verified channel, gets a simulated delivery after the same counted transaction.
 */
import { standInAccountCode } from '../domain/account-codes.ts';
import { codeDeliveryDetails, standInTarget } from '../domain/delivery-details.ts';
import { errors } from '../domain/messages.ts';
import type { PoolView } from '../domain/pool-view.ts';
import type { PoolRecord, UserRecord } from '../domain/records.ts';
import { usernameKey } from '../domain/usernames.ts';
import type { ForgotPasswordRequest } from '../model/generated/types.ts';
import type { CallContext, OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { enterForUser } from './shared/entry.ts';
import { adminOnlyRecovery, recoveryChannel, simulatedMedium } from './shared/recovery/channel.ts';
import { issueRefusal } from './shared/recovery/errors.ts';
import { sendRecoveryCode } from './shared/recovery/recovery-code.ts';
import { ISSUE_LIMIT, judgeIssue, RECOVERY_WINDOW_MS } from './shared/recovery/rules.ts';

export function forgotPassword(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as ForgotPasswordRequest;
    const { client, pool, poolView, clientView, user } = await enterForUser(s, input, ctx, input.UserContextData);
    const hide = clientView.preventUserExistenceErrors;
    // A pool-wide rule: saying so tells nothing about the user.
    if (adminOnlyRecovery(pool)) throw errors.adminOnlyRecovery();
    const simulate = () => simulatedDelivery(s, pool, poolView, input.Username, user?.usernameKey, ctx);

    if (!user) {
      if (hide) return simulate();
      throw errors.userNotFoundForClient();
    }
    if (!user.enabled) {
      if (hide) return simulate();
      throw errors.userDisabled();
    }
    // A temporary password is reported before the channel; an unconfirmed user, whose email is
    // rarely verified yet, hears about the missing channel first (aws/aws-sdk-net#1984).
    if (user.status !== 'UNCONFIRMED') refuseEarly(user);
    const channel = recoveryChannel(pool, user);
    if (channel.kind !== 'target') {
      if (hide) return simulate();
      throw errors.noRecoveryChannel();
    }
    refuseEarly(user);

    const origin = { region: s.region, pool: poolView, clientId: client.clientId, userAgent: ctx.userAgent };
    const { result, details } = await sendRecoveryCode(s, { pool, origin, user, target: channel.target, clientMetadata: input.ClientMetadata, now: ctx.now, admin: false });
    if (result.kind === 'not-found') {
      if (hide) return simulate();
      throw errors.userNotFoundForClient();
    }
    if (result.kind === 'limited') throw errors.attemptLimit();
    if (result.kind === 'refused') {
      if (hide && result.reason === 'disabled') return simulate();
      throw issueRefusal(result.reason);
    }
    s.wakeOutbox();
    return { CodeDeliveryDetails: details };
  };
}

/** Checked again under the lock; this early look keeps the CustomMessage trigger from running for nothing. */
function refuseEarly(user: UserRecord): void {
  const early = judgeIssue(user, { admin: false });
  if (early.kind === 'refuse') throw issueRefusal(early.reason);
}

/**
 * The answer for a user who must not be revealed: the same counted transaction as a real request,
 * so unknown, disabled and unreachable users meet the limit exactly as others do (nothing is
 * stored or sent), and a destination shaped from what was typed. The CustomMessage trigger does
 * not run: a function called for someone who does not exist would tell its owner as much.
 */
async function simulatedDelivery(s: Services, pool: PoolRecord, poolView: PoolView, login: string, key: string | undefined, ctx: CallContext) {
  const result = await s.store.issueRecoveryCode({
    poolId: pool.id,
    usernameKey: key ?? usernameKey(poolView, login),
    now: ctx.now,
    windowStart: ctx.now - RECOVERY_WINDOW_MS,
    limit: ISSUE_LIMIT,
    judge: () => ({ kind: 'count' }),
    code: standInAccountCode(s.box, 'forgot_password', ctx.now),
    messages: [],
    requireReset: false,
    countUnknown: true,
  });
  if (result.kind === 'limited') throw errors.attemptLimit();
  return { CodeDeliveryDetails: codeDeliveryDetails(standInTarget(login, simulatedMedium(pool, poolView.autoVerified, login))) };
}
