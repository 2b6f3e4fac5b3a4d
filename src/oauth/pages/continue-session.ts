/**
 * @module "Continue as <user>" on /login (OML §5.1, R-SSO): while the browser's session for the
 * pool lives, the classic page offers to reuse it instead of typing the password again. The grant
 * then keeps the session's auth_time (OML §9), as /oauth2/authorize does when it reuses a session.
 * `prompt=login` asks for a fresh sign-in, so no offer is made then.
 */
import type { IncomingMessage } from 'node:http';
import type { UserRecord } from '../../domain/records.ts';
import type { Services } from '../../operations/services.ts';
import type { AuthorizeRequest } from '../authorization.ts';
import { readBrowserSession } from '../browser-session.ts';
import type { DomainRequest } from '../endpoint.ts';

export async function sessionUser(s: Services, req: IncomingMessage, at: DomainRequest, request: AuthorizeRequest): Promise<{ user: UserRecord; authTime: number } | undefined> {
  if (request.prompt === 'login') return undefined;
  const session = await readBrowserSession(s, req, at);
  if (!session) return undefined;
  const user = await s.store.getUser(request.pool.id, session.usernameKey);
  // Disabled since, or sent back to a reset: the session no longer speaks for them.
  if (!user || !user.enabled || user.status !== 'CONFIRMED') return undefined;
  return { user, authTime: session.authTime };
}

/** What the user would recognise: the username, or in email/phone-as-username pools (UUID usernames) that attribute. */
export function displayName(user: UserRecord, pool: AuthorizeRequest['pool']): string {
  const signsInWith = (pool.settings.UsernameAttributes as string[] | undefined) ?? [];
  for (const name of signsInWith) if (user.attributes[name]) return user.attributes[name]!;
  return user.username;
}
