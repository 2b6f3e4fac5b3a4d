/** @module DeleteUserPool, refused while deletion protection is active or while the pool has a domain (AWS's own order of the two is not known). */
import { errors } from '../domain/messages.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';

export function deleteUserPool(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    if (pool.settings.DeletionProtection === 'ACTIVE') throw errors.deletionProtected(pool.id);
    // The domain's name stays claimed until DeleteUserPoolDomain lets it go, as on AWS.
    if ((await s.store.domainsOfPool(pool.id)).length > 0) throw errors.poolDeletionNeedsNoDomain();
    await s.store.deleteUserPool(pool.id);
    return {};
  };
}
