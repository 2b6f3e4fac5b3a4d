/** @module ListResourceServers: a pool's resource servers in identifier order, MaxResults (1–50, default 50) and NextToken paging. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { resourceServerShape } from './shared/oauth/resource-server-view.ts';

export function listResourceServers(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const limit = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
    const page = await s.store.listResourceServers(pool.id, limit, input.NextToken === undefined ? undefined : String(input.NextToken));
    return { ResourceServers: page.items.map(resourceServerShape), ...(page.next ? { NextToken: page.next } : {}) };
  };
}
