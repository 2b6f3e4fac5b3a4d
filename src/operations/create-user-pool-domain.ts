/**
 * @module CreateUserPoolDomain (OML §1.1): a prefix domain, or a custom domain when CustomDomainConfig
 * is sent. The name is unique across the server, and a pool has one domain of each kind.
 */
import { errors } from '../domain/messages.ts';
import { isCustomDomainName, prefixProblem } from '../domain/oauth/domain-names.ts';
import type { DomainRecord } from '../domain/oauth/records.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { cloudFrontDomain, managedLoginVersion } from './shared/oauth/domain-view.ts';

export function createUserPoolDomain(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const name = String(input.Domain);
    const custom = input.CustomDomainConfig !== undefined && input.CustomDomainConfig !== null;
    if (custom) {
      if (!isCustomDomainName(name)) throw errors.domainInvalid(name);
    } else {
      const problem = prefixProblem(name);
      if (problem === 'pattern') throw errors.domainInvalid(name);
      if (problem === 'reserved') throw errors.domainReservedWord(['aws', 'amazon', 'cognito'].find((w) => name.includes(w))!);
    }
    const version = managedLoginVersion(pool, input.ManagedLoginVersion, 1);
    const record: DomainRecord = {
      domain: name,
      poolId: pool.id,
      kind: custom ? 'custom' : 'prefix',
      settings: {
        ManagedLoginVersion: version,
        ...(custom ? { CustomDomainConfig: input.CustomDomainConfig } : {}),
        ...(input.Routing ? { Routing: input.Routing } : {}),
      },
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    const outcome = await s.store.createDomain(record);
    if (outcome === 'name-taken') throw errors.domainTaken();
    if (outcome === 'pool-has-one') throw errors.poolHasDomain(record.kind);
    if (outcome === 'pool-not-found') throw errors.poolNotFound(pool.id);
    return {
      ...(input.ManagedLoginVersion !== undefined ? { ManagedLoginVersion: version } : {}),
      ...(custom ? { CloudFrontDomain: cloudFrontDomain(name) } : {}),
      ...(input.Routing ? { Routing: input.Routing } : {}),
    };
  };
}
