/**
 * @module What every server-rendered page sends, the hosted pages and the console alike: the
 * security headers with a Content-Security-Policy built from directives, HTML answers, redirects,
 * and reading cookies. Nothing here knows a page or who it is for.
 */
import type { ServerResponse } from 'node:http';
import type { SafeHtml } from './html.ts';

/** A policy as directives and their sources, in the order they are written out. */
export type PolicyDirectives = Readonly<Record<string, readonly string[]>>;

/**
 * The policy text: each directive of `base` with its sources, then the sources `extra` adds to it
 * (an `extra` directive that `base` lacks is ignored, so additions never open a new kind of load).
 */
export function policyText(base: PolicyDirectives, extra: Readonly<Record<string, readonly string[] | undefined>> = {}): string {
  return Object.entries(base)
    .map(([name, sources]) => [name, ...sources, ...(extra[name] ?? [])].join(' '))
    .join('; ');
}

/**
 * The headers every page and redirect carries: the policy, no sniffing, no framing, no caching,
 * and no referrer, or (`same-origin`) one only to the site itself.
 */
export function securityHeaders(policy: string, referrer: ReferrerPolicy = 'no-referrer'): Record<string, string> {
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'Referrer-Policy': referrer,
  };
}

/**
 * `same-origin` for pages whose own forms must carry a real Origin: under `no-referrer` Chromium
 * sends `Origin: null` on a form post, which an origin check cannot tell from a sandboxed frame's.
 */
export type ReferrerPolicy = 'no-referrer' | 'same-origin';

export interface HtmlAnswer {
  /** The Content-Security-Policy text (see `policyText`). */
  policy: string;
  referrer?: ReferrerPolicy;
  setCookie?: readonly string[];
}

export function sendHtml(res: ServerResponse, status: number, page: SafeHtml, answer: HtmlAnswer): void {
  const text = page.toString();
  res.writeHead(status, {
    ...securityHeaders(answer.policy, answer.referrer),
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...(answer.setCookie?.length ? { 'Set-Cookie': [...answer.setCookie] } : {}),
  });
  res.end(text);
}

export interface RedirectAnswer {
  policy: string;
  referrer?: ReferrerPolicy;
  /** 302 for the hosted pages (their contract), 303 for the console's answer to a POST. */
  status?: 302 | 303;
  setCookie?: readonly string[];
}

/** A redirect with the same headers as a page. */
export function sendRedirect(res: ServerResponse, location: string, answer: RedirectAnswer): void {
  const setCookie = answer.setCookie ?? [];
  res.writeHead(answer.status ?? 302, {
    ...securityHeaders(answer.policy, answer.referrer),
    Location: location,
    'Content-Length': 0,
    ...(setCookie.length ? { 'Set-Cookie': [...setCookie] } : {}),
  });
  res.end();
}

/** Values of the named cookie (several when cookies of more than one path are sent). */
export function cookieValues(header: string | undefined, name: string): string[] {
  const found: string[] = [];
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    found.push(part.slice(eq + 1).trim());
  }
  return found;
}
