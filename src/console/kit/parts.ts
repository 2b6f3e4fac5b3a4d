/**
 * @module Building blocks of the console's pages: tables (with a caption and column headers, and
 * a stacked layout on a phone), definition lists, status badges, dates and the pager.
 */
import { html, type SafeHtml } from '../../web/html.ts';
import type { ConsoleRequest } from '../console-types.ts';

type Cell = SafeHtml | string | number | undefined | null;

export interface Table {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
  /** Shown instead of an empty table. */
  empty?: string;
}

export function table(t: Table): SafeHtml {
  if (t.rows.length === 0) return html`<p class="muted">${t.empty ?? `No ${t.caption.toLowerCase()}.`}</p>\n`;
  return html`<div class="table-wrap"><table class="stack">
<caption>${t.caption}</caption>
<thead><tr>${t.columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
<tbody>
${t.rows.map((row) => html`<tr>${row.map((cell, i) => html`<td data-label="${t.columns[i] ?? ''}">${cell ?? html`<span class="muted">—</span>`}</td>`)}</tr>\n`)}</tbody>
</table></div>
`;
}

export function definitionList(items: readonly (readonly [string, Cell])[]): SafeHtml {
  return html`<dl>
${items.map(([term, value]) => html`<dt>${term}</dt><dd>${value === undefined || value === null || value === '' ? html`<span class="muted">—</span>` : value}</dd>\n`)}</dl>
`;
}

const TONES: Readonly<Record<string, 'ok' | 'warn' | 'bad'>> = {
  CONFIRMED: 'ok', ENABLED: 'ok', ACTIVE: 'ok', SENT: 'ok', sent: 'ok', delivered: 'ok', ok: 'ok',
  UNCONFIRMED: 'warn', FORCE_CHANGE_PASSWORD: 'warn', RESET_REQUIRED: 'warn', pending: 'warn', PENDING: 'warn', retrying: 'warn',
  DISABLED: 'bad', INACTIVE: 'bad', failed: 'bad', FAILED: 'bad', error: 'bad', COMPROMISED: 'bad',
};

/** A status word in a badge whose colour follows its meaning; the word itself carries it for screen readers. */
export function statusBadge(status: string): SafeHtml {
  return html`<span class="badge badge-${TONES[status] ?? 'plain'}">${status}</span>`;
}

/** A date for people (UTC, to the minute) in a `<time>` machines can read; `at` in epoch seconds (the API's) or a Date. */
export function dateTime(at: number | Date | undefined | null): SafeHtml | '' {
  if (at === undefined || at === null) return '';
  const date = at instanceof Date ? at : new Date(at * 1000);
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC</time>`;
}

export function yesNo(value: boolean | undefined): string {
  return value ? 'Yes' : 'No';
}

/** A link to a path inside the console. */
export function link(at: Pick<ConsoleRequest, 'base'>, path: string, text: Cell): SafeHtml {
  return html`<a href="${at.base}${path}">${text ?? ''}</a>`;
}

/** One path segment, encoded for a link (pool ids, usernames, client ids). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

export interface Pager {
  /** The page's path inside the console. */
  path: string;
  /** The query to keep (filters), without the paging parameter. */
  params?: Readonly<Record<string, string | undefined>>;
  /** The API's NextToken / PaginationToken for the page after this one. */
  next?: string;
  /** Name of the query parameter carrying the token. */
  param?: string;
  /** True when this is not the first page: offers a link back to it. */
  notFirst?: boolean;
}

export function pager(at: Pick<ConsoleRequest, 'base'>, p: Pager): SafeHtml | '' {
  if (!p.next && !p.notFirst) return '';
  const query = (token?: string) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(p.params ?? {})) if (v !== undefined && v !== '') params.set(k, v);
    if (token) params.set(p.param ?? 'next', token);
    const text = params.toString();
    return text ? `?${text}` : '';
  };
  return html`<nav class="pager" aria-label="Pages">
${p.notFirst ? html`<a href="${at.base}${p.path}${query()}">First page</a>` : ''}
${p.next ? html`<a href="${at.base}${p.path}${query(p.next)}" rel="next">Next page</a>` : ''}
</nav>
`;
}
