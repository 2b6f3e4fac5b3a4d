/** @module ListUsers with Filter, AttributesToGet, Limit and PaginationToken. */
import { parseUserFilter } from '../domain/user-filter.ts';
import type { ListUsersRequest } from '../model/generated/types.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { loadPool } from './shared/admin-entry.ts';
import { userShape } from './shared/shapes.ts';

export function listUsers(s: Pick<Services, 'store' | 'gate'>): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as ListUsersRequest;
    const { pool } = await loadPool(s, input.UserPoolId, ctx);
    const filter = parseUserFilter(input.Filter);
    // Cognito treats a Limit of 0 like an absent one: the default page of 60.
    const limit = input.Limit ? input.Limit : 60;
    const page = await s.store.listUsers(pool.id, limit, input.PaginationToken, filter);
    return {
      Users: page.items.map((user) => userShape(user, input.AttributesToGet)),
      ...(page.next ? { PaginationToken: page.next } : {}),
    };
  };
}
