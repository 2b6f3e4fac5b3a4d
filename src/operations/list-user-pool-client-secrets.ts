/** @module ListUserPoolClientSecrets: ids and dates only; secret values are shown once, when added. */
import { epochSeconds } from '../util/clock.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadClient } from './shared/client-lookup.ts';

export function listUserPoolClientSecrets(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const client = await loadClient(s, input, ctx);
    return {
      ClientSecrets: client.secrets.map((secret) => ({ ClientSecretId: secret.id, ClientSecretCreateDate: epochSeconds(secret.createdAt) })),
    };
  };
}
