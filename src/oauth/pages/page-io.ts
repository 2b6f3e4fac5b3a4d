/**
 * @module What every hosted page sends (contract "the pages' HTML contract"): the pages' policy on
 * top of the shared web kit (`src/web/page-io.ts`: security headers, HTML answers, redirects), and
 * the domain's cookie path. Nothing here knows a page.
 */
import type { ServerResponse } from 'node:http';
import type { DomainRequest } from '../endpoint.ts';
import type { SafeHtml } from '../../web/html.ts';
import { policyText, sendHtml as sendWebHtml, sendRedirect as sendWebRedirect, type PolicyDirectives } from '../../web/page-io.ts';

export { cookieValues } from '../../web/page-io.ts';

/**
 * Nothing loads but the domain's own stylesheet and images (a data-URL logo included), no script
 * at all, forms post only here, and nobody may frame the page (clickjacking of the password form).
 */
const PAGE_POLICY: PolicyDirectives = {
  'default-src': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
};

/** What a page may add to the base policy: the validated callback (see `formTargets`) and a branded logo's origin. */
export interface PolicyExtras {
  formTargets?: readonly string[];
  imageOrigins?: readonly string[];
}

export function contentSecurityPolicy(extras: PolicyExtras = {}): string {
  return policyText(PAGE_POLICY, { 'img-src': extras.imageOrigins, 'form-action': extras.formTargets });
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

export interface PageAnswer {
  setCookie?: readonly string[];
  policy?: PolicyExtras;
}

export function sendHtml(res: ServerResponse, status: number, page: SafeHtml, answer: PageAnswer = {}): void {
  sendWebHtml(res, status, page, { policy: contentSecurityPolicy(answer.policy), ...(answer.setCookie ? { setCookie: answer.setCookie } : {}) });
}

/** POST success answers 302 (contract); the redirect carries the same headers as a page. */
export function sendRedirect(res: ServerResponse, location: string, setCookie: readonly string[] = []): void {
  sendWebRedirect(res, location, { policy: contentSecurityPolicy(), setCookie });
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
