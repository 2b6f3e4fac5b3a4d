/** @module DeleteUserPoolDomain: afterwards every endpoint of the domain answers 404 (OML §1.1). */
import { errors } from '../domain/messages.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';

export function deleteUserPoolDomain(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    if (!(await s.store.deleteDomain(pool.id, String(input.Domain)))) throw errors.domainNotFound();
    return {};
  };
}
