/**
 * @module An authorize request from check to grant (OML §4.2–§4.3): the checks in the spec's
 * order with where each failure sends the browser, and the grant once the user is known (a code
 * in the query, or implicit tokens in the fragment). The hosted pages call the same two functions,
 * so a sign-in on /login ends exactly as a reused browser session does.
 */
import type { PoolRecord, ClientRecord, UserRecord } from '../domain/records.ts';
import { randomUUID } from 'node:crypto';
import type { Services } from '../operations/services.ts';
import { authorizationCodeDigest, CODE_LIFETIME_MS, newAuthorizationCode } from '../operations/shared/oauth/grant-secrets.ts';
import { issueOAuthTokens } from '../operations/shared/oauth/oauth-tokens.ts';
import { CLIENT_ID, flowAllowed, grantedScopes, identityProviderError, pkceOf, redirectUriOf, responseTypeOf, type AuthorizeError } from './authorize-checks.ts';
import { startBrowserSession } from './browser-session.ts';
import type { DomainRequest } from './endpoint.ts';

export interface AuthorizeRequest {
  pool: PoolRecord;
  client: ClientRecord;
  responseType: 'code' | 'token';
  redirectUri: string;
  /** The scopes granted (after OML §2 filtering). */
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  prompt?: string;
  /** The authorize query as received, to carry through the pages unchanged (OML §5.5). */
  params: URLSearchParams;
}

export type AuthorizeCheck = { ok: true; request: AuthorizeRequest } | { ok: false; location: string };

/** `/error?error=…&client_id=…` on the domain: for failures that cannot be trusted to a redirect_uri (OML §4.2 steps 2–3, R-RM). */
export function errorPageLocation(at: DomainRequest, error: 'invalid_request' | 'redirect_mismatch', clientId: string): string {
  return `${at.base}/error?error=${error}&client_id=${encodeURIComponent(clientId)}`;
}

/**
 * `redirect_uri` with members added: in the query for the code flow (after any query the URI has,
 * OML §4.3), in the fragment for implicit (RFC 6749 §4.2.2; OML §4.2 recommends it for errors too).
 */
export function redirectWith(redirectUri: string, mode: 'query' | 'fragment', members: readonly (readonly [string, string | undefined])[]): string {
  const encoded = members.filter((m): m is readonly [string, string] => m[1] !== undefined).map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  if (mode === 'fragment') return `${redirectUri}#${encoded}`;
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${encoded}`;
}

/** The error redirect of OML §4.2 step 4 and §4.2 step 7: `error` and `state`, nothing else (no error_description, as DG23 shows none). */
export function errorRedirect(redirectUri: string, responseType: 'code' | 'token' | undefined, error: AuthorizeError, state: string | null | undefined): string {
  return redirectWith(redirectUri, responseType === 'token' ? 'fragment' : 'query', [['error', error], ['state', state ?? undefined]]);
}

/** OML §4.2 steps 2–5 on a query: the request, or where to send the browser (the /error page or the redirect_uri with ?error=). */
export async function checkAuthorizeRequest(s: Services, at: DomainRequest, params: URLSearchParams): Promise<AuthorizeCheck> {
  // Step 2: no trustworthy client, so no redirect_uri to trust either.
  const clientId = params.get('client_id') ?? '';
  const client = CLIENT_ID.test(clientId) ? await s.store.getClient(clientId) : undefined;
  if (!client || client.poolId !== at.domain.poolId) return { ok: false, location: errorPageLocation(at, 'invalid_request', clientId) };
  // Step 3.
  const redirectUri = redirectUriOf(client, params.get('redirect_uri'));
  if (redirectUri === undefined) return { ok: false, location: errorPageLocation(at, 'redirect_mismatch', clientId) };
  // Step 4: from here on the redirect_uri is trusted with the error.
  const state = params.get('state');
  const responseType = responseTypeOf(params.get('response_type'));
  const refuse = (error: AuthorizeError): AuthorizeCheck => ({ ok: false, location: errorRedirect(redirectUri, responseType, error, state) });
  if (!responseType) return refuse('invalid_request');
  const pkce = pkceOf(params);
  if (!pkce.ok) return refuse('invalid_request');
  if (!flowAllowed(client, responseType)) return refuse('unauthorized_client');
  const [pool, servers] = await Promise.all([s.store.getUserPool(client.poolId), s.store.resourceServersOfPool(client.poolId)]);
  if (!pool) return refuse('server_error');
  const scopes = grantedScopes(client, params.get('scope'), servers);
  if (!scopes) return refuse('invalid_scope');
  // Step 5.
  const idpError = identityProviderError(client, params);
  if (idpError) return refuse(idpError);
  const nonce = params.get('nonce');
  const prompt = params.get('prompt');
  return {
    ok: true,
    request: {
      pool,
      client,
      responseType,
      redirectUri,
      scopes,
      ...(state !== null ? { state } : {}),
      ...(nonce !== null ? { nonce } : {}),
      ...(pkce.challenge !== undefined ? { codeChallenge: pkce.challenge } : {}),
      ...(prompt !== null ? { prompt } : {}),
      params,
    },
  };
}

/**
 * The grant for a known user (OML §4.3): a single-use code bound to the client, redirect_uri,
 * scopes, PKCE challenge, nonce, user and authentication time, or implicit tokens (lower-case
 * `bearer`, no refresh token). `authTime` is when the user authenticated, kept across SSO.
 */
export async function grantLocation(s: Services, request: AuthorizeRequest, user: UserRecord, authTime: number): Promise<string> {
  const now = s.clock.now();
  const { pool, client } = request;
  if (request.responseType === 'code') {
    const code = newAuthorizationCode();
    const issued = await s.store.issueAuthorizationCode({
      digest: authorizationCodeDigest(s.box, code),
      poolId: pool.id,
      clientId: client.clientId,
      usernameKey: user.usernameKey,
      redirectUri: request.redirectUri,
      scopes: request.scopes,
      codeChallenge: request.codeChallenge ?? null,
      nonce: request.nonce ?? null,
      authTime,
      createdAt: now,
      expiresAt: now + CODE_LIFETIME_MS,
      usedAt: null,
    });
    if (!issued) return errorRedirect(request.redirectUri, 'code', 'server_error', request.state);
    return redirectWith(request.redirectUri, 'query', [['code', code], ['state', request.state]]);
  }
  const tokens = await issueOAuthTokens(s, { pool, client, user, scopes: request.scopes, nonce: request.nonce, authTime, originJti: randomUUID(), now, withRefreshToken: false, source: 'TokenGeneration_HostedAuth' });
  return redirectWith(request.redirectUri, 'fragment', [
    ['id_token', tokens.idToken],
    ['access_token', tokens.accessToken],
    ['token_type', 'bearer'],
    ['expires_in', String(tokens.expiresIn)],
    ['state', request.state],
  ]);
}

/** After the user authenticated on a page: start the browser session (cookie) and grant (OML §4.3). */
export async function completeAuthorization(s: Services, at: DomainRequest, request: AuthorizeRequest, user: UserRecord, authTime: number): Promise<{ location: string; setCookie: string[] }> {
  const cookie = await startBrowserSession(s, at, user, authTime);
  const location = await grantLocation(s, request, user, authTime);
  return { location, setCookie: cookie ? [cookie] : [] };
}
