/** @module ListUserPoolClients with NextToken paging. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';

export function listUserPoolClients(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const page = await s.store.listClients(pool.id, Number(input.MaxResults ?? 60), input.NextToken as string | undefined);
    return {
      UserPoolClients: page.items.map((c) => ({ ClientId: c.clientId, UserPoolId: c.poolId, ClientName: c.name })),
      ...(page.next ? { NextToken: page.next } : {}),
    };
  };
}
