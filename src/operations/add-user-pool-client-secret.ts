/** @module AddUserPoolClientSecret: a second active secret for rotation; at most two at a time. */
import { errors } from '../domain/messages.ts';
import { epochSeconds } from '../util/clock.ts';
import { newClientSecret, newSecretId } from '../util/ids.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadClient } from './shared/client-lookup.ts';

const MAX_SECRETS = 2;

export function addUserPoolClientSecret(s: Pick<Services, 'store' | 'gate' | 'box'>): OperationHandler {
  return async (input, ctx) => {
    const client = await loadClient(s, input, ctx);
    const plain = input.ClientSecret === undefined ? newClientSecret() : String(input.ClientSecret);
    const secret = { id: newSecretId(client.clientId), sealed: s.box.encrypt(plain), createdAt: ctx.now };
    const outcome = await s.store.addClientSecret(client.clientId, secret, MAX_SECRETS);
    if (outcome === 'limit') throw errors.tooManySecrets();
    if (outcome === 'not-found') throw errors.clientNotFound(client.clientId);
    return {
      ClientSecretDescriptor: { ClientSecretId: secret.id, ClientSecretValue: plain, ClientSecretCreateDate: epochSeconds(secret.createdAt) },
    };
  };
}
