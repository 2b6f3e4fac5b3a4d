/**
 * @module DeleteUserAttributes: the signed-in user removes attributes their app client may write.
 * Removing email or phone number also removes its verified flag, any value waiting for
 * verification, its outstanding code and the sign-in alias it carried.
 */
import type { DeleteUserAttributesRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { applyChange } from './shared/attribute-change/apply-change.ts';
import { deleteInput } from './shared/attribute-change/requests.ts';
import { signedInWriter } from './shared/attribute-change/signed-in-writer.ts';

export function deleteUserAttributes(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as DeleteUserAttributesRequest;
    const { pool, poolView, user, client } = await signedInWriter(s, input.AccessToken, ctx);
    const change = deleteInput(pool, input.UserAttributeNames, { client, existing: user.attributes });
    const origin = { region: s.region, pool: poolView, clientId: client.clientId, userAgent: ctx.userAgent };
    await applyChange(s, { pool, poolView, user, origin, now: ctx.now }, change);
    return {};
  };
}
