/**
 * @module AdminConfirmSignUp (spec §5.9): confirms without a code and verifies nothing; runs
 * PostConfirmation with CLIENT_ID_NOT_APPLICABLE.
 */
import { judgeAdminConfirmation } from '../domain/confirmation.ts';
import { errors } from '../domain/messages.ts';
import { CLIENT_ID_NOT_APPLICABLE, postConfirmationEvent } from '../triggers/events.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { refusalError } from './shared/confirm-errors.ts';

export function adminConfirmSignUp(s: Pick<Services, 'store' | 'gate' | 'triggers' | 'region'>): OperationHandler {
  return async (input, ctx) => {
    const { pool, poolView, user } = await loadUser(s, String(input.UserPoolId), String(input.Username), ctx);
    const result = await s.store.confirmSignUp({
      poolId: pool.id,
      usernameKey: user.usernameKey,
      now: ctx.now,
      windowStart: ctx.now,
      consumeCode: true,
      forceAliasCreation: false,
      judge: (state) => judgeAdminConfirmation(poolView, state),
    });
    if (result.kind === 'not-found') throw errors.userNotFound();
    if (result.kind === 'refused') throw refusalError(result.reason, result.user, undefined);
    if (result.kind === 'alias-conflict') throw errors.aliasExists(result.attribute);
    const origin = { region: s.region, pool: poolView, clientId: CLIENT_ID_NOT_APPLICABLE, userAgent: ctx.userAgent };
    await s.triggers.run(pool, 'PostConfirmation', postConfirmationEvent(origin, result.user, input.ClientMetadata as Record<string, string> | undefined));
    return {};
  };
}
