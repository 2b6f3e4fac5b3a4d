/**
 * @module CSRF for the server's own forms (hosted pages OML §9, the console): a double-submit
 * token. Every page with a form sets the token cookie and repeats its value in a hidden `_csrf`
 * field; a POST is accepted only when both are present and equal. Another site can make a browser
 * post a form here, but it can neither read nor set this site's cookie, so it cannot supply the
 * matching field.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { constantTimeEqual } from '../util/secret-box.ts';
import { cookieValues } from './page-io.ts';

export const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_FIELD = '_csrf';

const TOKEN = /^[A-Za-z0-9_-]{43}$/u;

export interface CsrfToken {
  value: string;
  /** The Set-Cookie header to send, or none when the browser already holds this token. */
  setCookie: string[];
}

export interface CsrfScope {
  /** The cookie's Path, ending in `/`: the pages that share this token. */
  path: string;
  /** Over TLS the cookie is `Secure`. */
  secure: boolean;
}

/** The browser's token when it has a well-formed one (several open tabs keep working), else a new one. */
export function csrfToken(req: IncomingMessage, scope: CsrfScope): CsrfToken {
  const held = cookieValues(req.headers.cookie, CSRF_COOKIE).find((v) => TOKEN.test(v));
  if (held) return { value: held, setCookie: [] };
  const value = randomBytes(32).toString('base64url');
  const attributes = [`Path=${scope.path}`, 'SameSite=Lax', 'HttpOnly', ...(scope.secure ? ['Secure'] : [])];
  return { value, setCookie: [`${CSRF_COOKIE}=${value}; ${attributes.join('; ')}`] };
}

/** True when the form's `_csrf` equals the token cookie, compared in constant time. */
export function csrfAccepted(req: IncomingMessage, form: ReadonlyMap<string, string>): boolean {
  const given = form.get(CSRF_FIELD) ?? '';
  if (!TOKEN.test(given)) return false;
  let match = false;
  for (const held of cookieValues(req.headers.cookie, CSRF_COOKIE)) if (constantTimeEqual(held, given)) match = true;
  return match;
}
