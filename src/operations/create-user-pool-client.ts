/** @module CreateUserPoolClient: a 26-character id and, on request, a generated or supplied secret stored sealed. */
import { errors } from '../domain/messages.ts';
import type { ClientRecord } from '../domain/records.ts';
import { newClientId, newClientSecret, newSecretId } from '../util/ids.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { clientSettings } from './shared/client-settings.ts';
import { checkCustomScopes } from './shared/oauth/client-oauth.ts';
import { clientShape } from './shared/shapes.ts';

export function createUserPoolClient(s: Pick<Services, 'store' | 'gate' | 'box'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    if (input.GenerateSecret === true && input.ClientSecret !== undefined) {
      throw errors.invalidParameter('ClientSecret cannot be specified when GenerateSecret is true.');
    }
    const plain = input.ClientSecret !== undefined ? String(input.ClientSecret) : input.GenerateSecret === true ? newClientSecret() : undefined;
    const clientId = newClientId();
    const client: ClientRecord = {
      clientId,
      poolId: pool.id,
      name: String(input.ClientName),
      settings: clientSettings(input, plain !== undefined, pool),
      secrets: plain === undefined ? [] : [{ id: newSecretId(clientId), sealed: s.box.encrypt(plain), createdAt: ctx.now }],
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    await checkCustomScopes(s.store, pool.id, client.settings);
    if (!(await s.store.createClient(client))) {
      // Deleted since loadPool read it: the caller gets the answer it would have got a moment later.
      if (!(await s.store.getUserPool(pool.id))) throw errors.poolNotFound(pool.id);
      throw errors.internal();
    }
    return { UserPoolClient: clientShape(client, s.box) };
  };
}
