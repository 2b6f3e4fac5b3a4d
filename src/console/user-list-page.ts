/**
 * @module The console's users list (/pools/:poolId/users): ListUsers through the API's own
 * operation, its filter syntax typed as is (`email ^= "a"`), its refusals shown as the API words
 * them, each user's groups, and paging by its PaginationToken. The table is a live region: with /static/live.js it
 * refreshes when the pool's users change (sign-ups by an app under test).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { viewPool } from '../domain/pool-view.ts';
import { usernameKey } from '../domain/usernames.ts';
import { html } from '../web/html.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest } from './console-types.ts';
import { dateTime, errorAlert, link, pager, refusal, runAdminOperation, searchForm, sendConsolePage, sendNotFoundPage, seg, statusBadge, table, textField } from './kit/index.ts';
import { attributeMap, contact, enabledBadge, usersRoute } from './user-format.ts';

/** ListUsers' own maximum page, and its default. */
const MAX_LIMIT = 60;

function pageSize(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= MAX_LIMIT ? n : MAX_LIMIT;
}

export function userListPage(c: ConsoleServices) {
  return async (_req: IncomingMessage, res: ServerResponse, at: ConsoleRequest): Promise<void> => {
    const poolId = at.params.poolId!;
    const pool = await c.s.store.getUserPool(poolId);
    if (!pool) return sendNotFoundPage(res, at, `User pool ${poolId} does not exist.`);
    const filter = (at.url.searchParams.get('filter') ?? '').trim();
    const token = at.url.searchParams.get('token') ?? '';
    const limitParam = at.url.searchParams.get('limit');
    const limit = pageSize(limitParam);
    let users: Record<string, unknown>[] = [];
    let next: string | undefined;
    let error: { type: string; message: string } | undefined;
    try {
      const out = await runAdminOperation(c, at, 'ListUsers', {
        UserPoolId: poolId,
        Limit: limit,
        ...(filter ? { Filter: filter } : {}),
        ...(token ? { PaginationToken: token } : {}),
      });
      users = (out.Users as Record<string, unknown>[] | undefined) ?? [];
      next = out.PaginationToken as string | undefined;
    } catch (e) {
      error = refusal(e);
    }
    // One indexed read per listed user (the store's token-issue read), not an operation call each.
    const view = viewPool(pool);
    const groups = await Promise.all(users.map((u) => c.s.store.userGroups(poolId, usernameKey(view, String(u.Username)))));
    const rows = users.map((u, i) => {
      const attributes = attributeMap(u.Attributes);
      const username = String(u.Username);
      return [
        link(at, usersRoute(poolId, username), username),
        statusBadge(String(u.UserStatus)),
        enabledBadge(u.Enabled),
        contact(attributes, 'email'),
        contact(attributes, 'phone_number'),
        groups[i]!.map((g) => g.groupName).join(', '),
        dateTime(u.UserCreateDate as number | undefined),
      ];
    });
    const path = usersRoute(poolId);
    const fields = html`${textField({ name: 'filter', label: 'Filter (ListUsers syntax)', value: filter, type: 'search', hint: 'For example email ^= "jane" or status = "UNCONFIRMED"; empty lists everyone.' })}${
      limitParam ? html`<input type="hidden" name="limit" value="${String(limit)}">` : ''
    }`;
    const body = html`<p class="crumbs"><a href="${at.base}/pools">Pools</a> › <a href="${at.base}/pools/${seg(poolId)}">${pool.name}</a> › Users</p>
<h1>Users of ${pool.name}</h1>
<p><a href="${at.base}${usersRoute(poolId)}/new">Create user</a></p>
${searchForm(at, path, fields, 'Filter')}${errorAlert(error)}<div id="live-users" data-live="users" data-pool="${poolId}">
${table({ caption: filter ? `Users matching ${filter}` : 'Users', columns: ['Username', 'Status', 'Enabled', 'Email', 'Phone', 'Groups', 'Created'], rows, empty: error ? 'No users listed.' : 'No users match.' })}</div>
${pager(at, { path, params: { filter, limit: limitParam ? String(limit) : undefined }, next, param: 'token', notFirst: token !== '' })}`;
    sendConsolePage(res, at, { title: `Users of ${pool.name}`, body, nav: 'pools', status: error ? 400 : 200, scripts: ['/static/live.js'] });
  };
}
