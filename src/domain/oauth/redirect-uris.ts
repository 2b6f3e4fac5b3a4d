/**
 * @module Callback and sign-out URL rules of an app client (OML §2, from the CallbackURLs member's
 * documentation): absolute, no fragment, HTTPS except on the loopback host, app schemes allowed.
 */

/** The element pattern of CallbackURLs/LogoutURLs: no white space or control characters. */
const PRINTABLE = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isAllowedRedirectUri(uri: string): boolean {
  if (uri.length < 1 || uri.length > 1024 || !PRINTABLE.test(uri) || uri.includes('#')) return false;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return url.hostname !== '';
  if (url.protocol === 'http:') return LOOPBACK.has(url.hostname);
  // An app's own scheme (`myapp://cb`); a scheme of the web or of scripts is no app's.
  return !['javascript:', 'data:', 'file:', 'ftp:', 'ws:', 'wss:', 'blob:'].includes(url.protocol);
}
