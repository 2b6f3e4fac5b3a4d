/**
 * @module What every hosted page sends (contract "the pages' HTML contract"): the security headers,
 * HTML answers, redirects, and the cookies' common attributes. Nothing here knows a page.
 */
import type { ServerResponse } from 'node:http';
import type { DomainRequest } from '../endpoint.ts';
import type { SafeHtml } from '../../web/html.ts';

/**
 * Nothing loads but the domain's own stylesheet and images (a data-URL logo included), no script
 * at all, forms post only here, and nobody may frame the page (clickjacking of the password form).
 */
const CSP_BASE = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** What a page may add to the base policy: the validated callback (see `formTargets`) and a branded logo's origin. */
export interface PolicyExtras {
  formTargets?: readonly string[];
  imageOrigins?: readonly string[];
}

export function contentSecurityPolicy(extras: PolicyExtras = {}): string {
  let policy = CSP_BASE;
  if (extras.imageOrigins?.length) policy = policy.replace("img-src 'self' data:", `img-src 'self' data: ${extras.imageOrigins.join(' ')}`);
  if (extras.formTargets?.length) policy = policy.replace("form-action 'self'", `form-action 'self' ${extras.formTargets.join(' ')}`);
  return policy;
}

/**
 * Browsers apply form-action to the redirects a form submission follows, so a page whose form ends
 * in a 302 to the app's callback must name that callback's origin (an app scheme by its scheme).
 * Only a redirect_uri that already matched the client's list gets here.
 */
export function formTargets(redirectUri: string | undefined): string[] {
  if (!redirectUri) return [];
  try {
    const url = new URL(redirectUri);
    if (url.protocol === 'http:' || url.protocol === 'https:') return [url.origin];
    return /^[a-z][a-z0-9+.-]*:$/u.test(url.protocol) ? [url.protocol] : [];
  } catch {
    return [];
  }
}

function securityHeaders(extras?: PolicyExtras): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(extras),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    'Referrer-Policy': 'no-referrer',
  };
}

export interface PageAnswer {
  setCookie?: readonly string[];
  policy?: PolicyExtras;
}

export function sendHtml(res: ServerResponse, status: number, page: SafeHtml, answer: PageAnswer = {}): void {
  const text = page.toString();
  res.writeHead(status, {
    ...securityHeaders(answer.policy),
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...(answer.setCookie?.length ? { 'Set-Cookie': [...answer.setCookie] } : {}),
  });
  res.end(text);
}

/** POST success answers 302 (contract); the redirect carries the same headers as a page. */
export function sendRedirect(res: ServerResponse, location: string, setCookie: readonly string[] = []): void {
  res.writeHead(302, { ...securityHeaders(), Location: location, 'Content-Length': 0, ...(setCookie.length ? { 'Set-Cookie': [...setCookie] } : {}) });
  res.end();
}

/** The path the domain's cookies are scoped to: `/` on a domain host, `/_domains/<prefix>/` in the path form, where all domains share a host. */
export function cookiePath(at: DomainRequest): string {
  const path = new URL(at.base).pathname;
  return path.endsWith('/') ? path : `${path}/`;
}

/** The domain's base path for links and form actions (`''` on a domain host). */
export function basePath(at: DomainRequest): string {
  return new URL(at.base).pathname.replace(/\/+$/u, '');
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
