/** @module AdminDeleteUserAttributes: an administrator removes attributes, with what goes with email or phone number as in DeleteUserAttributes. */
import type { AdminDeleteUserAttributesRequest } from '../model/generated/types.ts';
import { CLIENT_ID_NOT_APPLICABLE } from '../triggers/events.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { applyChange } from './shared/attribute-change/apply-change.ts';
import { deleteInput } from './shared/attribute-change/requests.ts';

export function adminDeleteUserAttributes(s: Pick<Services, 'store' | 'gate' | 'box' | 'triggers' | 'wakeOutbox' | 'region'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminDeleteUserAttributesRequest;
    const { pool, poolView, user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    const change = deleteInput(pool, input.UserAttributeNames, { existing: user.attributes });
    const origin = { region: s.region, pool: poolView, clientId: CLIENT_ID_NOT_APPLICABLE, userAgent: ctx.userAgent };
    await applyChange(s, { pool, poolView, user, origin, now: ctx.now }, change);
    return {};
  };
}
