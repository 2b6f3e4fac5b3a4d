/**
 * @module The console's trigger log (`/triggers`): the last runs of Lambda triggers on this
 * instance, newest first: event, pool, function, duration, outcome and error. Kept in memory by
 * `TriggerLog`, so it says which instance it describes and since when; it never shows an event's
 * contents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TriggerInvocation } from '../triggers/runner.ts';
import { html } from '../web/html.ts';
import type { ConsoleServices } from './console-services.ts';
import type { ConsoleRequest } from './console-types.ts';
import { link, searchForm, seg, sendConsolePage, statusBadge, table } from './kit/index.ts';
import { moment } from './outbox-format.ts';

const OUTCOMES: Readonly<Record<TriggerInvocation['outcome'], string>> = {
  ok: 'ok',
  'function-error': 'function error',
  'invoke-error': 'not invoked',
  'unusable-response': 'unusable answer',
};

/** `check-sign-up` of `arn:aws:lambda:us-east-1:…:function:check-sign-up`; the whole ARN is the title. */
function functionName(arn: string): string {
  return /:function:([^:]+)(?::[^:]+)?$/u.exec(arn)?.[1] ?? arn;
}

export function triggerLogPage(c: ConsoleServices) {
  return async (_req: IncomingMessage, res: ServerResponse, at: ConsoleRequest): Promise<void> => {
    const log = c.triggerLog;
    if (!log) {
      sendConsolePage(res, at, { title: 'Trigger log', nav: 'triggers', body: html`<h1>Trigger log</h1>\n<p>This server keeps no trigger log.</p>\n` });
      return;
    }
    const pool = at.url.searchParams.get('pool') || undefined;
    const all = log.recent();
    const shown = pool ? all.filter((r) => r.poolId === pool) : all;
    const pools = [...new Set(all.map((r) => r.poolId))].sort();
    const filters =
      pools.length > 1 || pool
        ? searchForm(
            at,
            '/triggers',
            html`<div class="field"><label for="filter-pool">Pool</label>
<select id="filter-pool" name="pool"><option value="">All pools</option>${pools.map((id) => html`<option value="${id}"${id === pool ? html` selected` : ''}>${id}</option>`)}</select></div>
`,
            'Filter',
          )
        : '';
    const rows = table({
      caption: 'Trigger runs, newest first',
      columns: ['Time', 'Event', 'Pool', 'Function', 'Duration', 'Outcome', 'Error'],
      rows: shown.map((r) => [
        moment(r.at),
        html`<span class="mono">${r.source}</span>`,
        link(at, `/pools/${seg(r.poolId)}`, r.poolId),
        html`<span class="mono" title="${r.functionArn}">${functionName(r.functionArn)}</span>`,
        html`${r.ms < 10 ? r.ms.toFixed(1) : Math.round(r.ms)} ms${r.attempts > 1 ? html` <span class="muted">(${r.attempts} attempts)</span>` : ''}`,
        r.outcome === 'ok' ? statusBadge('ok') : html`${statusBadge('error')} ${OUTCOMES[r.outcome]}`,
        r.error,
      ]),
      empty: pool ? 'No runs for this pool.' : 'No trigger has run yet on this instance.',
    });
    const body = html`<h1>Trigger log</h1>
<p class="muted">The last ${log.capacity} Lambda trigger runs on this server instance, kept in memory until it restarts (${log.total} since start). Events and answers are not kept: they carry user attributes and codes.</p>
${filters}<div id="trigger-region">
${rows}</div>
`;
    sendConsolePage(res, at, { title: 'Trigger log', body, nav: 'triggers' });
  };
}
