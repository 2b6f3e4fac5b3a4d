/** @module UpdateUserPoolDomain: changes the managed-login version, the certificate and routing; never the name (OML §1.1). */
import { errors } from '../domain/messages.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { cloudFrontDomain, managedLoginVersion } from './shared/oauth/domain-view.ts';

export function updateUserPoolDomain(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const name = String(input.Domain);
    const current = await s.store.getDomain(name);
    if (!current || current.poolId !== pool.id) throw errors.domainNotFound();
    const version = managedLoginVersion(pool, input.ManagedLoginVersion, Number(current.settings.ManagedLoginVersion ?? 1));
    const settings = {
      ...current.settings,
      ManagedLoginVersion: version,
      ...(current.kind === 'custom' && input.CustomDomainConfig ? { CustomDomainConfig: input.CustomDomainConfig } : {}),
      ...(input.Routing ? { Routing: input.Routing } : {}),
    };
    const updated = await s.store.updateDomain(pool.id, name, settings, ctx.now);
    if (!updated) throw errors.domainNotFound();
    return {
      ManagedLoginVersion: version,
      ...(updated.kind === 'custom' ? { CloudFrontDomain: cloudFrontDomain(name) } : {}),
      ...(settings.Routing ? { Routing: settings.Routing } : {}),
    };
  };
}
