/**
 * @module Every console page's frame (docs/console.md): a skip link, the header with its nav
 * (Pools, Outbox, Trigger log), the one-time notice of the previous action, under the console's
 * strict CSP (`policy.ts`).
 */
import type { ServerResponse } from 'node:http';
import { html, type SafeHtml } from '../../web/html.ts';
import { sendHtml } from '../../web/page-io.ts';
import type { ConsoleRequest } from '../console-types.ts';
import { noticeOf } from './notice.ts';
import { CONSOLE_CSP, CONSOLE_REFERRER } from './policy.ts';

export { CONSOLE_CSP } from './policy.ts';

export type NavItem = 'pools' | 'outbox' | 'triggers';

export interface ConsolePage {
  title: string;
  body: SafeHtml;
  status?: number;
  nav?: NavItem;
  /** Scripts of the console (paths inside it, e.g. `/static/live.js`), loaded deferred: progressive enhancement only. */
  scripts?: readonly string[];
}

const NAV: readonly [NavItem, string, string][] = [
  ['pools', '/pools', 'Pools'],
  ['outbox', '/outbox', 'Outbox'],
  ['triggers', '/triggers', 'Trigger log'],
];

export function consoleLayout(at: Pick<ConsoleRequest, 'base' | 'url' | 'csrf'>, page: ConsolePage): SafeHtml {
  const notice = noticeOf(at);
  const items = NAV.map(([key, path, label]) => html`<li><a href="${at.base}${path}"${page.nav === key ? html` aria-current="page"` : ''}>${label}</a></li>`);
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${page.title} · userpool console</title>
<link rel="stylesheet" href="${at.base}/static/console.css">
${(page.scripts ?? []).map((src) => html`<script src="${at.base}${src}" defer></script>\n`)}</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<a class="brand" href="${at.base}/pools">userpool console</a>
<nav aria-label="Console"><ul>${items}</ul></nav>
</header>
<main id="main" tabindex="-1">
${notice ? html`<p class="notice" role="status">${notice}</p>\n` : ''}${page.body}
</main>
</body>
</html>
`;
}

/** Sends a page; the CSRF cookie, when the browser had none, was already set by the router. */
export function sendConsolePage(res: ServerResponse, at: Pick<ConsoleRequest, 'base' | 'url' | 'csrf'>, page: ConsolePage): void {
  sendHtml(res, page.status ?? 200, consoleLayout(at, page), { policy: CONSOLE_CSP, referrer: CONSOLE_REFERRER });
}
