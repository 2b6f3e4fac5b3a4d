/** @module DescribeUserPool, with the pool's prefix domain as `Domain` and its custom domain as `CustomDomain` (OML §1.1). */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { userPoolShape } from './shared/shapes.ts';
import { withSchemaAttributes } from './shared/standard-schema.ts';

export function describeUserPool(s: Pick<Services, 'store' | 'gate' | 'region' | 'accountId'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    const domains = await s.store.domainsOfPool(pool.id);
    const prefix = domains.find((d) => d.kind === 'prefix');
    const custom = domains.find((d) => d.kind === 'custom');
    return {
      UserPool: {
        ...withSchemaAttributes(userPoolShape(pool, s.region, s.accountId), pool),
        ...(prefix ? { Domain: prefix.domain } : {}),
        ...(custom ? { CustomDomain: custom.domain } : {}),
      },
    };
  };
}
