/** @module UpdateResourceServer: Name and Scopes are replaced; scopes not sent are gone, as with Cognito's other Update calls. */
import { errors } from '../domain/messages.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { resourceServerShape, scopesFrom } from './shared/oauth/resource-server-view.ts';

export function updateResourceServer(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const identifier = String(input.Identifier);
    const current = await s.store.getResourceServer(pool.id, identifier);
    if (!current) throw errors.resourceServerNotFound(identifier);
    const updated = { ...current, name: String(input.Name), scopes: scopesFrom(input.Scopes), updatedAt: ctx.now };
    if (!(await s.store.updateResourceServer(updated))) throw errors.resourceServerNotFound(identifier);
    return { ResourceServer: resourceServerShape(updated) };
  };
}
