/** @module DeleteUserPool, refused while deletion protection is active. */
import { errors } from '../domain/messages.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';

export function deleteUserPool(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    if (pool.settings.DeletionProtection === 'ACTIVE') throw errors.deletionProtected(pool.id);
    await s.store.deleteUserPool(pool.id);
    return {};
  };
}
