/**
 * @module VerifyUserAttribute: the signed-in user proves an email address or phone number with the
 * code sent to it. The attribute becomes verified; a value waiting for verification replaces the
 * active one; the sign-in alias it carries is claimed, unless another user holds it.
 */
import { accountCodeMatches } from '../domain/account-codes.ts';
import { errors } from '../domain/messages.ts';
import type { VerifyUserAttributeRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { aliasConflict } from './shared/attribute-change/apply-change.ts';
import { codeDestination, isVerifiable, purposeOf } from './shared/attribute-change/plan.ts';
import { judgeAttributeVerification } from './shared/attribute-change/verification.ts';
import { signedInUser } from './shared/sign-in/signed-in-user.ts';

const HOUR_MS = 60 * 60 * 1000;

export function verifyUserAttribute(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as VerifyUserAttributeRequest;
    const { pool, poolView, user } = await signedInUser(s, input.AccessToken, ctx);
    const attribute = input.AttributeName;
    if (!isVerifiable(attribute)) throw errors.notVerifiable();
    if (!codeDestination(user, attribute)) throw errors.noValueToVerify(attribute);
    const result = await s.store.verifyAttribute({
      poolId: pool.id,
      usernameKey: user.usernameKey,
      purpose: purposeOf(attribute),
      now: ctx.now,
      windowStart: ctx.now - HOUR_MS,
      judge: (state) =>
        judgeAttributeVerification(
          {
            pool: poolView,
            attribute,
            limit: pool.limits.confirmAttemptsPerHour,
            now: ctx.now,
            codeMatches: (code) => accountCodeMatches(s.box, pool.id, user.usernameKey, input.Code, code),
          },
          state,
        ),
    });
    if (result.kind === 'not-found') throw errors.userNotFound();
    if (result.kind === 'alias-conflict') throw aliasConflict(poolView, result.attribute);
    if (result.kind === 'refused') throw refusal(result.reason, attribute);
    return {};
  };
}

function refusal(reason: string, attribute: string) {
  if (reason === 'limited') return errors.attemptLimit();
  if (reason === 'expired') return errors.codeExpired();
  if (reason === 'no-value') return errors.noValueToVerify(attribute);
  return errors.codeMismatch();
}
