/** @module GetUser: the signed-in user's username and attributes, authorised by the access token alone. */
import type { GetUserRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { readableAttributes } from './shared/attributes.ts';
import { attributeList } from './shared/shapes.ts';
import { signedInUser } from './shared/sign-in/signed-in-user.ts';

export function getUser(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as GetUserRequest;
    const { user, claims } = await signedInUser(s, input.AccessToken, ctx);
    // Only the attributes the token's app client may read, as its ID token carries (developer guide,
    // "Attribute permissions and scopes").
    const client = await s.store.getClient(claims.client_id);
    return { Username: user.username, UserAttributes: attributeList(user, readableAttributes(client)) };
  };
}
