/** @module ListUsersInGroup: the group's members as UserType, in username order, Limit and NextToken paging. */
import { errors } from '../domain/messages.ts';
import type { ListUsersInGroupRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { pageLimit } from './shared/groups/group-shape.ts';
import { userShape } from './shared/shapes.ts';

export function listUsersInGroup(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as ListUsersInGroupRequest;
    const { pool } = await loadPool(s, input.UserPoolId, ctx);
    if (!(await s.store.getGroup(pool.id, input.GroupName))) throw errors.groupNotFound();
    const page = await s.store.listUsersInGroup(pool.id, input.GroupName, pageLimit(input.Limit), input.NextToken);
    return { Users: page.items.map((user) => userShape(user)), ...(page.next ? { NextToken: page.next } : {}) };
  };
}
