/** @module DeleteUserPoolClient. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadClient } from './shared/client-lookup.ts';

export function deleteUserPoolClient(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const client = await loadClient(s, input, ctx);
    await s.store.deleteClient(client.poolId, client.clientId);
    return {};
  };
}
