/** @module AdminListGroupsForUser: the user's groups in name order, Limit and NextToken paging. */
import type { AdminListGroupsForUserRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadUser } from './shared/admin-entry.ts';
import { groupShape, pageLimit } from './shared/groups/group-shape.ts';

export function adminListGroupsForUser(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as AdminListGroupsForUserRequest;
    const { pool, user } = await loadUser(s, input.UserPoolId, input.Username, ctx);
    const page = await s.store.listGroupsForUser(pool.id, user.usernameKey, pageLimit(input.Limit), input.NextToken);
    return { Groups: page.items.map(groupShape), ...(page.next ? { NextToken: page.next } : {}) };
  };
}
