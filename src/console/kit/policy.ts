/**
 * @module The console's Content-Security-Policy: its own stylesheet and scripts only (no inline
 * code), images from itself or data URLs, fetches and event streams to itself, forms posted only
 * to itself, never framed.
 */
import type { ServerResponse } from 'node:http';
import { policyText, sendRedirect, type PolicyDirectives } from '../../web/page-io.ts';

const CONSOLE_POLICY: PolicyDirectives = {
  'default-src': ["'none'"],
  'style-src': ["'self'"],
  'script-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
};

export const CONSOLE_CSP = policyText(CONSOLE_POLICY);

/** The console's own form posts must carry its Origin for the local profile's rebinding guard; other sites still get no referrer. */
export const CONSOLE_REFERRER = 'same-origin';

/** A redirect inside the console (303, so the browser follows a POST with a GET). */
export function sendConsoleRedirect(res: ServerResponse, location: string): void {
  sendRedirect(res, location, { policy: CONSOLE_CSP, referrer: CONSOLE_REFERRER, status: 303 });
}
