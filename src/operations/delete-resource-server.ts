/** @module DeleteResourceServer. */
import { errors } from '../domain/messages.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';

export function deleteResourceServer(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const identifier = String(input.Identifier);
    if (!(await s.store.deleteResourceServer(pool.id, identifier))) throw errors.resourceServerNotFound(identifier);
    return {};
  };
}
