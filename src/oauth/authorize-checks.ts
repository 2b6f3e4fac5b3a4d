/**
 * @module The checks of GET /oauth2/authorize (OML §4.2 steps 2–5), one function per step in the
 * spec's order, each saying what is wrong or what it found; authorization.ts turns a failure into
 * where the browser goes. No HTTP here and no side effects.
 */
import { definedCustomScopes, RESERVED_SCOPES } from '../domain/oauth/scopes.ts';
import type { ResourceServerRecord } from '../domain/oauth/records.ts';
import type { ClientRecord } from '../domain/records.ts';
import { isCodeChallenge } from '../operations/shared/oauth/grant-secrets.ts';

export type AuthorizeError = 'invalid_request' | 'unauthorized_client' | 'invalid_scope' | 'server_error' | 'login_required';

/** The model's ClientIdType; anything else names no client and is not looked up. */
export const CLIENT_ID = /^[\w+]{1,128}$/u;

/**
 * Step 3: the redirect_uri, compared exactly with the registered ones (OML §2: scheme, host, port,
 * path, query and trailing slash all count). Left out, the client's DefaultRedirectURI stands in
 * (OML §4.1 allows it for a client with one IdP, which every client here is: COGNITO; I).
 */
export function redirectUriOf(client: ClientRecord, given: string | null): string | undefined {
  const registered = (client.settings.CallbackURLs as string[] | undefined) ?? [];
  if (given === null) {
    const fallback = client.settings.DefaultRedirectURI;
    return typeof fallback === 'string' && registered.includes(fallback) ? fallback : undefined;
  }
  return registered.includes(given) ? given : undefined;
}

export type ResponseType = 'code' | 'token';

export function responseTypeOf(value: string | null): ResponseType | undefined {
  return value === 'code' || value === 'token' ? value : undefined;
}

/** Step 4, PKCE: S256 only (OML §4.1, C/R); a challenge without a method, or a method without a challenge, is refused. */
export function pkceOf(params: URLSearchParams): { ok: true; challenge?: string } | { ok: false } {
  const method = params.get('code_challenge_method');
  const challenge = params.get('code_challenge');
  if (method === null && challenge === null) return { ok: true };
  if (method !== 'S256' || challenge === null || !isCodeChallenge(challenge)) return { ok: false };
  return { ok: true, challenge };
}

/** Step 4, flows: the client allows OAuth at all, and this flow (OML §4.2, C). */
export function flowAllowed(client: ClientRecord, responseType: ResponseType): boolean {
  const flows = (client.settings.AllowedOAuthFlows as string[] | undefined) ?? [];
  return client.settings.AllowedOAuthFlowsUserPoolClient === true && flows.includes(responseType === 'code' ? 'code' : 'implicit');
}

/** The element pattern of a scope (OML §2). */
const SCOPE_SYNTAX = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/u;

/**
 * Step 4, scopes (OML §2): a scope of bad syntax or defined nowhere in the pool is `invalid_scope`;
 * a defined one the client lacks is dropped; none asked → all of the client's. Nothing left to
 * grant is `invalid_scope` too (I). Order: as asked, each once.
 */
export function grantedScopes(client: ClientRecord, requested: string | null, servers: readonly ResourceServerRecord[]): string[] | undefined {
  const allowed = (client.settings.AllowedOAuthScopes as string[] | undefined) ?? [];
  const asked = (requested ?? '').split(' ').filter((scope) => scope !== '');
  if (asked.length === 0) return allowed.length > 0 ? [...allowed] : undefined;
  const defined = definedCustomScopes(servers);
  if (asked.some((scope) => !SCOPE_SYNTAX.test(scope) || (!RESERVED_SCOPES.has(scope) && !defined.has(scope)))) return undefined;
  const granted = [...new Set(asked.filter((scope) => allowed.includes(scope)))];
  return granted.length > 0 ? granted : undefined;
}

/**
 * Step 5: `identity_provider=COGNITO` or none continues to the hosted pages, for a client that
 * supports COGNITO. This server federates with no IdP, so any other name, and `idp_identifier`,
 * is `invalid_request` (I); a client without COGNITO among its providers is `unauthorized_client`
 * (OML §2: the authorize doc requires native users or an IdP; I for the error).
 */
export function identityProviderError(client: ClientRecord, params: URLSearchParams): AuthorizeError | undefined {
  const named = params.get('identity_provider');
  if ((named !== null && named !== 'COGNITO') || params.get('idp_identifier') !== null) return 'invalid_request';
  const supported = (client.settings.SupportedIdentityProviders as string[] | undefined) ?? [];
  return supported.includes('COGNITO') ? undefined : 'unauthorized_client';
}

/** `prompt` is a space-separated list (OIDC Core §3.1.2.1); unknown values are ignored (I). */
export function promptsOf(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(' ').filter((p) => p !== ''));
}
