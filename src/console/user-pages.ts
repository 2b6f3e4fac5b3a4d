/**
 * @module The console's user pages and actions (docs/console.md, "Users"): the list, the create
 * form, one user, and the POST actions on them. The router ranks `/users/new` above
 * `/users/:username`; links to a user named `new` encode it (user-format.ts) to reach the user.
 */
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRoute } from './console-types.ts';
import { userActionRoutes } from './user-actions.ts';
import { userCreateAction, userCreateForm } from './user-create-page.ts';
import { sendUserPage } from './user-detail-page.ts';
import { userListPage } from './user-list-page.ts';

export function userRoutes(c: ConsoleServices): ConsoleRoute[] {
  return [
    { method: 'GET', pattern: '/pools/:poolId/users', handler: userListPage(c) },
    { method: 'GET', pattern: '/pools/:poolId/users/new', handler: userCreateForm(c) },
    { method: 'POST', pattern: '/pools/:poolId/users/new', handler: userCreateAction(c) },
    { method: 'GET', pattern: '/pools/:poolId/users/:username', handler: (_req, res, at) => sendUserPage(c, res, at, at.params.username!) },
    ...userActionRoutes(c),
  ];
}
