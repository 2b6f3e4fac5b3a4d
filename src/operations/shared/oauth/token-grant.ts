/**
 * @module The token endpoint's decisions, without HTTP (OML §6): which grant, which client and
 * whether it authenticated, whether it may use the grant, and the tokens. One function per grant
 * (Supabase's flat switch); anything else is `unsupported_grant_type`.
 */
import type { DomainRecord } from '../../../domain/oauth/records.ts';
import { clientCredentialsScopes } from '../../../domain/oauth/scopes.ts';
import type { Services } from '../../services.ts';
import { allowsFlow, authenticateClient } from './client-auth.ts';
import { authorizationCodeGrant } from './code-grant.ts';
import { issueClientCredentials } from './oauth-tokens.ts';
import { refreshTokenGrant } from './refresh-grant.ts';

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'invalid_scope' | 'unsupported_grant_type';

export interface TokenRequest {
  domain: DomainRecord;
  /** The form body, each parameter once. */
  params: ReadonlyMap<string, string>;
  /** From `Authorization: Basic`, already decoded; `malformed` when the header could not be read. */
  basic?: { clientId: string; secret: string } | 'malformed';
  now: number;
}

/** Members in the order of AWS's answers (id, access, refresh, expires_in, token_type); only those the grant gives are present. */
export interface TokenBody {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: 'Bearer';
}

export type TokenOutcome = { ok: true; body: TokenBody } | { ok: false; error: OAuthErrorCode };

export const fail = (error: OAuthErrorCode): TokenOutcome => ({ ok: false, error });

export function tokenBody(tokens: { accessToken: string; idToken?: string; refreshToken?: string; expiresIn: number }): TokenBody {
  return {
    ...(tokens.idToken ? { id_token: tokens.idToken } : {}),
    access_token: tokens.accessToken,
    ...(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
    expires_in: tokens.expiresIn,
    token_type: 'Bearer',
  };
}

export async function tokenGrant(s: Services, request: TokenRequest): Promise<TokenOutcome> {
  const grant = request.params.get('grant_type');
  if (grant === undefined || grant === '') return fail('invalid_request');
  switch (grant) {
    case 'client_credentials':
      return clientCredentialsGrant(s, request);
    case 'authorization_code':
      return authorizationCodeGrant(s, request);
    case 'refresh_token':
      return refreshTokenGrant(s, request);
    default:
      return fail('unsupported_grant_type');
  }
}

async function clientCredentialsGrant(s: Services, request: TokenRequest): Promise<TokenOutcome> {
  const auth = await authenticateClient(s, request, true);
  if (!auth.ok) return auth;
  const { client } = auth;
  if (!allowsFlow(client, 'client_credentials')) return fail('unauthorized_client');
  const scopes = clientCredentialsScopes(request.params.get('scope'), (client.settings.AllowedOAuthScopes as string[] | undefined) ?? []);
  if (!scopes.ok) return fail('invalid_scope');
  const pool = await s.store.getUserPool(client.poolId);
  if (!pool) return fail('invalid_client');
  const token = await issueClientCredentials(s, { pool, client, scopes: scopes.scopes, now: request.now });
  return { ok: true, body: tokenBody(token) };
}
