/** @module DescribeUserPool. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { userPoolShape } from './shared/shapes.ts';
import { withSchemaAttributes } from './shared/standard-schema.ts';

export function describeUserPool(s: Pick<Services, 'store' | 'gate' | 'region' | 'accountId'>): OperationHandler {
  return async (input, ctx) => {
    const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
    return { UserPool: withSchemaAttributes(userPoolShape(pool, s.region, s.accountId), pool) };
  };
}
