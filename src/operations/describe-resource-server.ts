/** @module DescribeResourceServer. */
import { errors } from '../domain/messages.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { resourceServerShape } from './shared/oauth/resource-server-view.ts';

export function describeResourceServer(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const server = await s.store.getResourceServer(pool.id, String(input.Identifier));
    if (!server) throw errors.resourceServerNotFound(String(input.Identifier));
    return { ResourceServer: resourceServerShape(server) };
  };
}
