/**
 * @module Who may reach the console (docs/console.md). Production: HTTP Basic with one of the
 * configured admin access keys (id as user, secret access key as password) or the console's
 * bearer token, compared in constant time; anything else is 401 with a Basic challenge. Local:
 * nobody signs in, but, as for the control API, only loopback (or configured) Host and Origin
 * values are served, so a public name rebound to 127.0.0.1 cannot drive it from a web page.
 */
import type { IncomingMessage } from 'node:http';
import { constantTimeEqual } from '../util/secret-box.ts';
import { fromLoopback } from '../protocol/loopback-guard.ts';

export const CHALLENGE = 'Basic realm="userpool console"';

export interface ConsoleAccess {
  profile: 'local' | 'production';
  adminCredentials: readonly { accessKeyId: string; secretAccessKey: string }[];
  token?: string;
  /** Host names besides loopback ones the local console answers to (the control API's `controlHosts`). */
  allowedHosts: readonly string[];
}

/** The actor for the action log, or undefined when the request carries no valid credential. */
export function authenticate(req: IncomingMessage, access: ConsoleAccess): string | undefined {
  if (access.profile === 'local') return 'local';
  const header = String(req.headers.authorization ?? '');
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/iu.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    // Every key is compared, matching or not, so the time taken says nothing about which ids exist.
    let actor: string | undefined;
    for (const key of access.adminCredentials) {
      const idMatches = constantTimeEqual(id, key.accessKeyId);
      const secretMatches = constantTimeEqual(secret, key.secretAccessKey);
      if (idMatches && secretMatches) actor = key.accessKeyId;
    }
    return actor;
  }
  const bearer = /^Bearer\s+(\S+)\s*$/iu.exec(header);
  if (bearer && access.token !== undefined && constantTimeEqual(bearer[1]!, access.token)) return 'token';
  return undefined;
}

/** The DNS-rebinding guard of the local profile; production is guarded by its credentials instead. */
export function hostAllowed(req: IncomingMessage, access: ConsoleAccess): boolean {
  if (access.profile !== 'local') return true;
  const hosts = access.allowedHosts.map((h) => h.toLowerCase());
  return fromLoopback(req, hosts);
}
