/**
 * @module The one-line notice an action leaves for the page it redirects to ("User jane disabled").
 * It travels in the query, `?notice=…&n=…`, where `n` is an HMAC of the text keyed with the
 * browser's CSRF token: the page shows it (escaped, as text) only when the tag matches, so a link
 * from elsewhere cannot make the console display words of someone else's choosing.
 */
import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { constantTimeEqual } from '../../util/secret-box.ts';
import type { ConsoleRequest } from '../console-types.ts';
import { sendConsoleRedirect } from './policy.ts';

const MAX_NOTICE = 300;

function tag(csrf: string, notice: string): string {
  return createHmac('sha256', csrf).update(notice).digest('base64url').slice(0, 22);
}

/** The notice this page should show, or undefined. */
export function noticeOf(at: Pick<ConsoleRequest, 'url' | 'csrf'>): string | undefined {
  const notice = at.url.searchParams.get('notice');
  const given = at.url.searchParams.get('n');
  if (!notice || !given || !at.csrf || notice.length > MAX_NOTICE) return undefined;
  return constantTimeEqual(given, tag(at.csrf, notice)) ? notice : undefined;
}

/** 303 to `path` (inside the console, may carry its own query) with the notice for the next page. */
export function redirectWithNotice(res: ServerResponse, at: Pick<ConsoleRequest, 'base' | 'csrf'>, path: string, notice: string): void {
  const text = notice.slice(0, MAX_NOTICE);
  const [pathname, query] = splitQuery(path);
  const params = new URLSearchParams(query);
  params.set('notice', text);
  params.set('n', tag(at.csrf, text));
  sendConsoleRedirect(res, `${at.base}${pathname}?${params.toString()}`);
}

function splitQuery(path: string): [string, string] {
  const q = path.indexOf('?');
  return q < 0 ? [path, ''] : [path.slice(0, q), path.slice(q + 1)];
}
