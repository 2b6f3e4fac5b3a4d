/**
 * @module UpdateUserAttributes: the signed-in user changes their attributes under their app
 * client's WriteAttributes. A new email or phone number in an auto-verified pool gets a code
 * (CustomMessage_UpdateUserAttribute), listed in CodeDeliveryDetailsList; with
 * AttributesRequireVerificationBeforeUpdate the old value stays active until VerifyUserAttribute.
 */
import { codeDeliveryDetails } from '../domain/delivery-details.ts';
import type { UpdateUserAttributesRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { applyChange } from './shared/attribute-change/apply-change.ts';
import { updateInput } from './shared/attribute-change/requests.ts';
import { signedInWriter } from './shared/attribute-change/signed-in-writer.ts';

export function updateUserAttributes(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as UpdateUserAttributesRequest;
    const { pool, poolView, user, client } = await signedInWriter(s, input.AccessToken, ctx);
    const change = updateInput(pool, input.UserAttributes, { client, existing: user.attributes });
    const origin = { region: s.region, pool: poolView, clientId: client.clientId, userAgent: ctx.userAgent };
    const sent = await applyChange(s, { pool, poolView, user, origin, clientMetadata: input.ClientMetadata, now: ctx.now }, change);
    // No list when nothing was sent (I): Amplify then reports every attribute as updated.
    return sent.length > 0 ? { CodeDeliveryDetailsList: sent.map(codeDeliveryDetails) } : {};
  };
}
