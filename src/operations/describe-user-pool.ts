/**
 * @module DescribeUserPool, with the pool's prefix domain as `Domain`, its custom domain as
 * `CustomDomain` (OML §1.1), and its user count as `EstimatedNumberOfUsers` (exact here; AWS's is
 * an estimate).
 */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { userPoolShape } from './shared/shapes.ts';
import { withSchemaAttributes } from './shared/standard-schema.ts';

export function describeUserPool(s: Pick<Services, 'store' | 'gate' | 'region' | 'accountId'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const [domains, users] = await Promise.all([s.store.domainsOfPool(pool.id), s.store.countUsers(pool.id)]);
    const prefix = domains.find((d) => d.kind === 'prefix');
    const custom = domains.find((d) => d.kind === 'custom');
    return {
      UserPool: {
        ...withSchemaAttributes(userPoolShape(pool, s.region, s.accountId, users), pool),
        ...(prefix ? { Domain: prefix.domain } : {}),
        ...(custom ? { CustomDomain: custom.domain } : {}),
      },
    };
  };
}
