/**
 * @module The console's outbox page (`/outbox`): messages across pools, newest first, keyset-paged
 * on the id so a page stays put while new messages arrive, filtered by pool and delivery state.
 * Its main region carries `data-live`, which `/static/live.js` refreshes on the live view's
 * `outbox` events; without the script it is a plain page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OutboxStatusFilter } from '../store/store.ts';
import { html, type SafeHtml } from '../web/html.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest } from './console-types.ts';
import { link, pager, searchForm, seg, sendConsolePage, table } from './kit/index.ts';
import { deliveryCell, maskedDestination, moment, outboxRoute } from './outbox-format.ts';

const PAGE_SIZE = 50;
const STATUSES: readonly [OutboxStatusFilter | '', string][] = [
  ['', 'Any status'],
  ['queued', 'Queued (not yet sent)'],
  ['sent', 'Sent'],
  ['failed', 'Failed'],
];
/** Enough pools for the filter's list; a pool beyond them can still be typed into the address. */
const POOLS_LISTED = 60;

export function outboxListPage(c: ConsoleServices) {
  return async (_req: IncomingMessage, res: ServerResponse, at: ConsoleRequest): Promise<void> => {
    const pool = at.url.searchParams.get('pool') || undefined;
    const statusParam = at.url.searchParams.get('status') ?? '';
    const status = STATUSES.some(([value]) => value && value === statusParam) ? (statusParam as OutboxStatusFilter) : undefined;
    const beforeParam = at.url.searchParams.get('before');
    const before = beforeParam && /^[1-9][0-9]{0,15}$/u.test(beforeParam) ? Number(beforeParam) : undefined;

    const rows = await c.s.store.pageOutbox({ poolId: pool, status, beforeId: before, limit: PAGE_SIZE + 1 });
    const shown = rows.slice(0, PAGE_SIZE);
    const older = rows.length > PAGE_SIZE ? String(shown.at(-1)!.id) : undefined;
    const pools = (await c.s.store.listUserPools(POOLS_LISTED)).items.map((p) => [p.id, p.name] as const);
    if (pool && !pools.some(([id]) => id === pool)) pools.push([pool, '(deleted or not listed)']);

    const filters = searchForm(
      at,
      '/outbox',
      html`<div class="field"><label for="filter-pool">Pool</label>
<select id="filter-pool" name="pool"><option value="">All pools</option>${pools.map(([id, name]) => html`<option value="${id}"${id === pool ? html` selected` : ''}>${name} (${id})</option>`)}</select></div>
<div class="field"><label for="filter-status">Status</label>
<select id="filter-status" name="status">${STATUSES.map(([value, label]) => html`<option value="${value}"${value === (status ?? '') ? html` selected` : ''}>${label}</option>`)}</select></div>
`,
      'Filter',
    );
    const list = table({
      caption: before ? 'Older messages' : 'Messages, newest first',
      columns: ['Message', 'Pool', 'Username', 'Medium', 'To', 'Status', 'Created', 'Sent'],
      rows: shown.map((m) => [
        link(at, outboxRoute(m.id), `#${m.id}`),
        link(at, `/pools/${seg(m.poolId)}`, m.poolId),
        link(at, `/pools/${seg(m.poolId)}/users/${seg(m.username)}`, m.username),
        m.medium,
        html`<span class="mono">${maskedDestination(m)}</span>`,
        deliveryCell(m),
        moment(m.createdAt),
        moment(m.sentAt),
      ]),
      empty: pool || status || before ? 'No messages match.' : 'No messages yet: they appear here as users sign up.',
    });
    const body: SafeHtml = html`<h1>Outbox</h1>
<p class="muted">Every message this server queued (codes, invitations, links), across pools. Open one to read it; retry one that failed.</p>
${filters}<div id="outbox-region" data-live="outbox">
${list}${pager(at, { path: '/outbox', params: { pool, status }, next: older, param: 'before', notFirst: before !== undefined })}</div>
`;
    sendConsolePage(res, at, { title: 'Outbox', body, nav: 'outbox', scripts: ['/static/live.js'] });
  };
}
