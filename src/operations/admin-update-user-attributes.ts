/**
 * @module AdminUpdateUserAttributes: an administrator changes any attribute but `sub`, and may set
 * `email_verified` / `phone_number_verified`; with the flag set to true in the same request a new
 * value applies verified and no code is sent, otherwise the user gets one as with UpdateUserAttributes.
 */
import type { AdminUpdateUserAttributesRequest } from '../model/generated/types.ts';
import { CLIENT_ID_NOT_APPLICABLE } from '../triggers/events.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { applyChange } from './shared/attribute-change/apply-change.ts';
import { updateInput } from './shared/attribute-change/requests.ts';

export function adminUpdateUserAttributes(s: Pick<Services, 'store' | 'gate' | 'box' | 'triggers' | 'wakeOutbox' | 'region'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminUpdateUserAttributesRequest;
    const { pool, poolView, user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    const change = updateInput(pool, input.UserAttributes, { existing: user.attributes });
    const origin = { region: s.region, pool: poolView, clientId: CLIENT_ID_NOT_APPLICABLE, userAgent: ctx.userAgent };
    await applyChange(s, { pool, poolView, user, origin, clientMetadata: input.ClientMetadata, now: ctx.now }, change);
    return {};
  };
}
