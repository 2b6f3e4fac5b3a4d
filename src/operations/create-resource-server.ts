/** @module CreateResourceServer: an API's identifier and the custom scopes `<identifier>/<name>` clients may be given (OML §2.1). */
import { errors } from '../domain/messages.ts';
import type { ResourceServerRecord } from '../domain/oauth/records.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { resourceServerShape, scopesFrom } from './shared/oauth/resource-server-view.ts';

export function createResourceServer(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const server: ResourceServerRecord = {
      poolId: pool.id,
      identifier: String(input.Identifier),
      name: String(input.Name),
      scopes: scopesFrom(input.Scopes),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    const outcome = await s.store.createResourceServer(server);
    if (outcome === 'exists') throw errors.resourceServerExists(server.identifier);
    if (outcome === 'pool-not-found') throw errors.poolNotFound(pool.id);
    return { ResourceServer: resourceServerShape(server) };
  };
}
