/**
 * @module GetUserAttributeVerificationCode: a new code for the signed-in user's email or phone
 * number (CustomMessage_VerifyUserAttribute), sent to the value waiting for verification if there
 * is one, else to the active value, and counted against an hourly send limit.
 */
import { codeDeliveryDetails } from '../domain/delivery-details.ts';
import { errors } from '../domain/messages.ts';
import type { GetUserAttributeVerificationCodeRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { prepareAttributeCode } from './shared/attribute-change/code-message.ts';
import { codeDestination, isVerifiable } from './shared/attribute-change/plan.ts';
import { signedInUser } from './shared/sign-in/signed-in-user.ts';

const HOUR_MS = 60 * 60 * 1000;
const ROUNDS = 3;

export function getUserAttributeVerificationCode(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as GetUserAttributeVerificationCodeRequest;
    const { pool, poolView, claims, ...signedIn } = await signedInUser(s, input.AccessToken, ctx);
    let user = signedIn.user;
    const attribute = input.AttributeName;
    if (!isVerifiable(attribute)) throw errors.notVerifiable();
    const origin = { region: s.region, pool: poolView, clientId: claims.client_id, userAgent: ctx.userAgent };
    for (let round = 0; round < ROUNDS; round++) {
      const destination = codeDestination(user, attribute);
      if (!destination) throw errors.noAddressToVerify(attribute);
      const prepared = await prepareAttributeCode(s, {
        pool, origin, user, attributes: user.attributes, target: { attribute, destination },
        source: 'CustomMessage_VerifyUserAttribute', clientMetadata: input.ClientMetadata, now: ctx.now,
      });
      const result = await s.store.issueAttributeCode({
        poolId: pool.id,
        usernameKey: user.usernameKey,
        now: ctx.now,
        windowStart: ctx.now - HOUR_MS,
        limit: pool.limits.resendAttemptsPerHour,
        code: prepared.record,
        messages: [prepared.message],
        // The address changed while the message was written: it would prove the wrong value.
        fits: (locked) => codeDestination(locked, attribute) === destination,
      });
      if (result.kind === 'not-found') throw errors.userNotFound();
      if (result.kind === 'limited') throw errors.attemptLimit();
      if (result.kind === 'stale') {
        user = result.user;
        continue;
      }
      s.wakeOutbox();
      return { CodeDeliveryDetails: codeDeliveryDetails(prepared.target) };
    }
    throw errors.internal();
  };
}
