/** @module OAuth scopes (OML §2, §2.1, §6.1): the reserved ones, custom `<identifier>/<name>` ones, and the client_credentials grant's choice. */
import type { ResourceServerRecord } from './records.ts';

export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';
export const RESERVED_SCOPES: ReadonlySet<string> = new Set(['openid', 'email', 'phone', 'profile', ADMIN_SCOPE]);
/** Scopes that only make sense with `openid` (OML §2: documented for the request; the console refuses them alone). */
export const NEEDS_OPENID = ['email', 'phone', 'profile'] as const;

/** Every custom scope string the pool's resource servers define. */
export function definedCustomScopes(servers: readonly ResourceServerRecord[]): Set<string> {
  return new Set(servers.flatMap((server) => server.scopes.map((scope) => `${server.identifier}/${scope.ScopeName}`)));
}

export function isCustomScope(scope: string): boolean {
  return !RESERVED_SCOPES.has(scope);
}

export type ClientCredentialsScopes = { ok: true; scopes: string[] } | { ok: false };

/**
 * The scopes a client_credentials token carries: those asked for, each of which must be one of the
 * client's custom scopes (else `invalid_scope`, OML §6.3); none asked for → all of them (OML §6.1).
 * A client without custom scopes has nothing to grant either way.
 */
export function clientCredentialsScopes(requested: string | undefined, allowed: readonly string[]): ClientCredentialsScopes {
  const custom = allowed.filter(isCustomScope);
  const asked = requested === undefined ? [] : requested.split(' ').filter((s) => s !== '');
  if (asked.length === 0) return custom.length > 0 ? { ok: true, scopes: custom } : { ok: false };
  if (asked.some((scope) => !custom.includes(scope))) return { ok: false };
  return { ok: true, scopes: [...new Set(asked)] };
}
