/** @module What the domain endpoints share on the wire: OAuth JSON answers (OML §6.2–6.3), the plain 404, the form body, Basic credentials. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLarge, readBody } from '../protocol/http-io.ts';

/** Token responses and their errors must not be cached anywhere (RFC 6749 §5.1, OML §6.2). */
export function sendOAuthJson(res: ServerResponse, status: number, body: object, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    ...CORS,
    ...extra,
  });
  res.end(text);
}

/**
 * Browser apps (Amplify's signInWithRedirect) call /oauth2/token, userInfo and revoke from their
 * own origin with fetch, without cookies; any origin may read the answers, as no ambient
 * credential is involved (I). WWW-Authenticate is exposed for userInfo's errors.
 */
const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'WWW-Authenticate' } as const;

/** The CORS preflight of those endpoints: true when the request was one and has been answered. */
export function answeredPreflight(req: IncomingMessage, res: ServerResponse, methods: string): boolean {
  if (req.method !== 'OPTIONS') return false;
  req.resume();
  const asked = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    ...CORS,
    'Access-Control-Allow-Methods': methods,
    // Amplify adds x-amz-user-agent; whatever a page asks for is allowed, since no cookie rides along.
    'Access-Control-Allow-Headers': typeof asked === 'string' && /^[\w-]+(?:\s*,\s*[\w-]+)*$/u.test(asked) ? asked : 'authorization, content-type',
    'Access-Control-Max-Age': '600',
    'Content-Length': 0,
  });
  res.end();
  return true;
}

/** An unknown domain, or a path the domain does not serve: no API envelope, nothing to read. */
export function sendNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': 9, 'Cache-Control': 'no-store' });
  res.end('Not Found');
}

const FORM_LIMIT = 64 * 1024;

/**
 * The body of an `application/x-www-form-urlencoded` request, each parameter once (RFC 6749 §3.2:
 * parameters must not repeat). Undefined for any other content type, a repeated parameter, or a
 * body too large to be a token request.
 */
export async function readForm(req: IncomingMessage): Promise<Map<string, string> | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    return undefined;
  }
  let body: Buffer;
  try {
    body = await readBody(req, FORM_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLarge) return undefined;
    throw error;
  }
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    if (params.has(name)) return undefined;
    params.set(name, value);
  }
  return params;
}

/** `Authorization: Basic base64(id:secret)`, each part form-decoded (RFC 6749 §2.3.1); none → undefined. */
export function basicCredentials(header: string | undefined): { clientId: string; secret: string } | 'malformed' | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/iu.exec(header);
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'malformed';
  try {
    const part = (text: string) => decodeURIComponent(text.replace(/\+/gu, ' '));
    return { clientId: part(decoded.slice(0, colon)), secret: part(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

/** A 302 the browser follows; never cached, since it may carry a code or tokens (OML §4.3). */
export function sendRedirect(res: ServerResponse, location: string, setCookie: readonly string[] = []): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', Pragma: 'no-cache', 'Content-Length': 0, ...(setCookie.length > 0 ? { 'Set-Cookie': [...setCookie] } : {}) });
  res.end();
}

/** A method the endpoint does not serve: plain text, as the 404. */
export function sendMethodNotAllowed(res: ServerResponse, allow: string): void {
  res.writeHead(405, { 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': 18, Allow: allow, 'Cache-Control': 'no-store' });
  res.end('Method Not Allowed');
}
