/**
 * @module The hosted UI's browser session (OML §9): the `cognito` cookie holds an opaque random id,
 * the store only its keyed digest. One session serves every client of the pool (SSO) for an hour;
 * /logout ends it. Cookies stay here, out of the store and the domain rules.
 */
import type { IncomingMessage } from 'node:http';
import type { UserRecord } from '../domain/records.ts';
import type { Services } from '../operations/services.ts';
import { BROWSER_SESSION_MS, browserSessionDigest, newBrowserSessionId } from '../operations/shared/oauth/grant-secrets.ts';
import type { DomainRequest } from './endpoint.ts';

export const SESSION_COOKIE = 'cognito';
/** What newBrowserSessionId makes: anything else is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/u;

/** Every value of the `cognito` cookie the request carries (a browser may send more than one path's). */
function sessionIds(req: IncomingMessage): string[] {
  const header = req.headers.cookie;
  if (!header) return [];
  const ids: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (SESSION_ID.test(value)) ids.push(value);
  }
  return ids.slice(0, 4);
}

/** `/` on a domain host; `/_domains/<name>/` with the path form, where all domains share one host. */
function cookiePath(at: DomainRequest): string {
  const path = new URL(at.base).pathname;
  return path.endsWith('/') ? path : `${path}/`;
}

function cookie(at: DomainRequest, value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=${cookiePath(at)}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${at.secure ? '; Secure' : ''}`;
}

/** The pool's browser session this request carries (cookie `cognito`), if live (OML §9). */
export async function readBrowserSession(s: Services, req: IncomingMessage, at: DomainRequest): Promise<{ usernameKey: string; authTime: number } | undefined> {
  const now = s.clock.now();
  for (const id of sessionIds(req)) {
    const session = await s.store.browserSession(at.domain.poolId, browserSessionDigest(s.box, id), now);
    if (session) return { usernameKey: session.usernameKey, authTime: session.authTime };
  }
  return undefined;
}

/** Starts a session for the user and answers its Set-Cookie value; undefined when the user is gone. */
export async function startBrowserSession(s: Services, at: DomainRequest, user: UserRecord, authTime: number): Promise<string | undefined> {
  const now = s.clock.now();
  const id = newBrowserSessionId();
  const started = await s.store.startBrowserSession({
    digest: browserSessionDigest(s.box, id),
    poolId: at.domain.poolId,
    usernameKey: user.usernameKey,
    authTime,
    createdAt: now,
    expiresAt: now + BROWSER_SESSION_MS,
    endedAt: null,
  });
  return started ? cookie(at, id, BROWSER_SESSION_MS / 1000) : undefined;
}

/** Ends every session the request carries (a /logout) and answers the Set-Cookie value that clears the cookie. */
export async function endBrowserSession(s: Services, req: IncomingMessage, at: DomainRequest): Promise<string> {
  const now = s.clock.now();
  for (const id of sessionIds(req)) await s.store.endBrowserSession(at.domain.poolId, browserSessionDigest(s.box, id), now);
  return cookie(at, '', 0);
}
