/** @module ListGroups: a pool's groups in name order, Limit and NextToken paging. */
import type { ListGroupsRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { groupShape, pageLimit } from './shared/groups/group-shape.ts';

export function listGroups(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as ListGroupsRequest;
    const { pool } = await loadPool(s, input.UserPoolId, ctx);
    const page = await s.store.listGroups(pool.id, pageLimit(input.Limit), input.NextToken);
    return { Groups: page.items.map(groupShape), ...(page.next ? { NextToken: page.next } : {}) };
  };
}
