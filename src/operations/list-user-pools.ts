/** @module ListUserPools with NextToken paging. */
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { userPoolDescription } from './shared/shapes.ts';

export function listUserPools(s: Pick<Services, 'store'>): OperationHandler {
  return async (input) => {
    const page = await s.store.listUserPools(Number(input.MaxResults), input.NextToken as string | undefined);
    return { UserPools: page.items.map(userPoolDescription), ...(page.next ? { NextToken: page.next } : {}) };
  };
}
