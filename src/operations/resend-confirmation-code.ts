/**
 * @module ResendConfirmationCode (spec §7.2): a new code replaces the old one, counted against the
 * per-user hourly limit; with PreventUserExistenceErrors a simulated delivery hides who exists.
 */
import { codeDeliveryDetails, standInTarget } from '../domain/delivery-details.ts';
import { errors } from '../domain/messages.ts';
import type { PoolView } from '../domain/pool-view.ts';
import { looksLikePhone } from '../domain/usernames.ts';
import type { ResendConfirmationCodeRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { enterForUser } from './shared/entry.ts';
import { prepareVerification } from './shared/verification.ts';

const HOUR_MS = 60 * 60 * 1000;

export function resendConfirmationCode(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as ResendConfirmationCodeRequest;
    const { client, pool, poolView, clientView, user } = await enterForUser(s, input, ctx, input.UserContextData);
    const hide = clientView.preventUserExistenceErrors;
    // A pool that verifies nothing answers everyone alike; a simulated delivery only for unknown users would reveal who exists.
    if (hide && poolView.autoVerified.length === 0) throw cannotResend();
    if (!user) {
      if (hide) return simulatedDelivery(poolView, input.Username);
      throw errors.userNotFoundForClient();
    }
    if (!user.enabled) {
      if (hide) return simulatedDelivery(poolView, input.Username);
      throw errors.userDisabled();
    }
    if (user.status === 'CONFIRMED') {
      if (hide) return simulatedDelivery(poolView, input.Username);
      throw errors.alreadyConfirmed();
    }

    const origin = { region: s.region, pool: poolView, clientId: client.clientId, userAgent: ctx.userAgent };
    const verification = await prepareVerification(s, {
      pool, poolView, origin, clientId: client.clientId, user, source: 'CustomMessage_ResendCode', clientMetadata: input.ClientMetadata, now: ctx.now,
    });
    if (!verification) throw cannotResend();

    const result = await s.store.reissueSignUpCode({
      poolId: pool.id,
      usernameKey: user.usernameKey,
      now: ctx.now,
      windowStart: ctx.now - HOUR_MS,
      limit: pool.limits.resendAttemptsPerHour,
      code: verification.code,
      messages: [verification.message],
    });
    if (result.kind === 'not-found') {
      if (hide) return simulatedDelivery(poolView, input.Username);
      throw errors.userNotFoundForClient();
    }
    if (result.kind === 'not-unconfirmed') {
      if (hide) return simulatedDelivery(poolView, input.Username);
      throw errors.alreadyConfirmed();
    }
    if (result.kind === 'limited') throw errors.attemptLimit();
    s.wakeOutbox();
    return { CodeDeliveryDetails: verification.details };
  };
}

const cannotResend = () => errors.invalidParameter('Cannot resend codes. Auto verification not turned on.');

/** A plausible delivery for a user who does not exist, shaped by the login string and the pool's settings. */
function simulatedDelivery(pool: PoolView, login: string) {
  const phone = looksLikePhone(login) || (!login.includes('@') && pool.autoVerified.includes('phone_number') && !pool.autoVerified.includes('email'));
  return { CodeDeliveryDetails: codeDeliveryDetails(standInTarget(login, phone ? 'SMS' : 'EMAIL')) };
}
