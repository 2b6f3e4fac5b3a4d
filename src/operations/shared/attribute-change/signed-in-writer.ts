/** @module The signed-in user of an attribute operation, with the app client the access token was issued to, whose WriteAttributes bind the user. */
import { errors } from '../../../domain/messages.ts';
import type { ClientRecord } from '../../../domain/records.ts';
import type { CallContext } from '../../context.ts';
import type { Services } from '../../services.ts';
import { signedInUser, type SignedInUser } from '../sign-in/signed-in-user.ts';

export async function signedInWriter(s: Services, accessToken: string, ctx: CallContext): Promise<SignedInUser & { client: ClientRecord }> {
  const signedIn = await signedInUser(s, accessToken, ctx);
  const client = await s.store.getClient(signedIn.claims.client_id);
  // A token outliving its client must not fall back to the administrator's rules.
  if (!client || client.poolId !== signedIn.pool.id) throw errors.invalidAccessToken();
  return { ...signedIn, client };
}
