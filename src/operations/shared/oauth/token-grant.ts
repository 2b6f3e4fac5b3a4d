/**
 * @module The token endpoint's decisions, without HTTP (OML §6): which grant, which client and
 * whether it authenticated, whether it may use the grant, and the tokens. Only client_credentials
 * is built; authorization_code and refresh_token answer `unsupported_grant_type` until they are.
 */
import type { DomainRecord } from '../../../domain/oauth/records.ts';
import { clientCredentialsScopes } from '../../../domain/oauth/scopes.ts';
import type { ClientRecord } from '../../../domain/records.ts';
import { constantTimeEqual } from '../../../util/secret-box.ts';
import type { Services } from '../../services.ts';

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'invalid_scope' | 'unsupported_grant_type';

export interface TokenRequest {
  domain: DomainRecord;
  /** The form body, each parameter once. */
  params: ReadonlyMap<string, string>;
  /** From `Authorization: Basic`, already decoded; `malformed` when the header could not be read. */
  basic?: { clientId: string; secret: string } | 'malformed';
  now: number;
}

export type TokenOutcome =
  | { ok: true; body: { access_token: string; expires_in: number; token_type: 'Bearer' } }
  | { ok: false; error: OAuthErrorCode };

/** The model's ClientIdType; anything else names no client and is not looked up. */
const CLIENT_ID = /^[\w+]{1,128}$/u;

const fail = (error: OAuthErrorCode): TokenOutcome => ({ ok: false, error });

export async function tokenGrant(s: Pick<Services, 'store' | 'box' | 'tokens'>, request: TokenRequest): Promise<TokenOutcome> {
  const grant = request.params.get('grant_type');
  if (grant === undefined || grant === '') return fail('invalid_request');
  if (grant !== 'client_credentials') return fail('unsupported_grant_type');
  const auth = await authenticate(s, request);
  if (!auth.ok) return auth;
  const { client } = auth;
  const flows = (client.settings.AllowedOAuthFlows as string[] | undefined) ?? [];
  if (client.settings.AllowedOAuthFlowsUserPoolClient !== true || !flows.includes('client_credentials')) return fail('unauthorized_client');
  const scopes = clientCredentialsScopes(request.params.get('scope'), (client.settings.AllowedOAuthScopes as string[] | undefined) ?? []);
  if (!scopes.ok) return fail('invalid_scope');
  const pool = await s.store.getUserPool(client.poolId);
  if (!pool) return fail('invalid_client');
  const token = await s.tokens.issueClientCredentials({ pool, client, scopes: scopes.scopes, now: request.now });
  return { ok: true, body: { access_token: token.accessToken, expires_in: token.expiresIn, token_type: 'Bearer' } };
}

/**
 * client_secret_basic or client_secret_post, never both (RFC 6749 §2.3). The grant needs a
 * confidential client, so a client without a secret fails here as a wrong secret would.
 */
async function authenticate(s: Pick<Services, 'store' | 'box'>, request: TokenRequest): Promise<{ ok: true; client: ClientRecord } | { ok: false; error: OAuthErrorCode }> {
  const bodyId = request.params.get('client_id');
  const bodySecret = request.params.get('client_secret');
  if (request.basic === 'malformed') return { ok: false, error: 'invalid_client' };
  if (request.basic && bodySecret !== undefined) return { ok: false, error: 'invalid_request' };
  if (request.basic && bodyId !== undefined && bodyId !== request.basic.clientId) return { ok: false, error: 'invalid_client' };
  const clientId = request.basic?.clientId ?? bodyId;
  const secret = request.basic?.secret ?? bodySecret;
  if (clientId === undefined || !CLIENT_ID.test(clientId)) return { ok: false, error: 'invalid_client' };
  const client = await s.store.getClient(clientId);
  // A client of another pool is unknown on this domain.
  if (!client || client.poolId !== request.domain.poolId) return { ok: false, error: 'invalid_client' };
  if (secret === undefined || !secretMatches(s, client, secret)) return { ok: false, error: 'invalid_client' };
  return { ok: true, client };
}

/** Every active secret is compared, in constant time each, so timing shows neither which one matched nor how much of it. */
function secretMatches(s: Pick<Services, 'box'>, client: ClientRecord, provided: string): boolean {
  let match = false;
  for (const sealed of client.secrets) if (constantTimeEqual(s.box.decrypt(sealed.sealed), provided)) match = true;
  return match;
}
