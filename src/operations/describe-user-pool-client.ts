/** @module DescribeUserPoolClient. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadClient } from './shared/client-lookup.ts';
import { clientShape } from './shared/shapes.ts';

export function describeUserPoolClient(s: Pick<Services, 'store' | 'gate' | 'box'>): OperationHandler {
  return async (input, ctx) => {
    const client = await loadClient(s, input, ctx);
    return { UserPoolClient: clientShape(client, s.box) };
  };
}
