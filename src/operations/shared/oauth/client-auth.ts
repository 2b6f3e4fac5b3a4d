/**
 * @module Client authentication at /oauth2/token and /oauth2/revoke (OML §6.1, §8.1):
 * client_secret_basic or client_secret_post, never both (RFC 6749 §2.3); a public client names
 * itself by `client_id` alone. Each secret is compared in constant time.
 */
import type { DomainRecord } from '../../../domain/oauth/records.ts';
import type { ClientRecord } from '../../../domain/records.ts';
import { constantTimeEqual } from '../../../util/secret-box.ts';
import type { Services } from '../../services.ts';

export interface ClientCredentialsInput {
  domain: DomainRecord;
  params: ReadonlyMap<string, string>;
  /** From `Authorization: Basic`, already decoded; `malformed` when the header could not be read. */
  basic?: { clientId: string; secret: string } | 'malformed';
}

/** The model's ClientIdType; anything else names no client and is not looked up. */
const CLIENT_ID = /^[\w+]{1,128}$/u;

export type ClientAuth = { ok: true; client: ClientRecord } | { ok: false; error: 'invalid_request' | 'invalid_client' };

/**
 * `confidentialOnly`: the grant needs a client with a secret (client_credentials), so a public
 * client fails as a wrong secret would. Otherwise a client without secrets is public: its
 * `client_id` is enough, and a secret sent for it is wrong.
 */
export async function authenticateClient(s: Pick<Services, 'store' | 'box'>, input: ClientCredentialsInput, confidentialOnly: boolean): Promise<ClientAuth> {
  const bodyId = input.params.get('client_id');
  const bodySecret = input.params.get('client_secret');
  if (input.basic === 'malformed') return { ok: false, error: 'invalid_client' };
  if (input.basic && bodySecret !== undefined) return { ok: false, error: 'invalid_request' };
  if (input.basic && bodyId !== undefined && bodyId !== input.basic.clientId) return { ok: false, error: 'invalid_client' };
  const clientId = input.basic?.clientId ?? bodyId;
  const secret = input.basic?.secret ?? bodySecret;
  if (clientId === undefined || !CLIENT_ID.test(clientId)) return { ok: false, error: 'invalid_client' };
  const client = await s.store.getClient(clientId);
  // A client of another pool is unknown on this domain.
  if (!client || client.poolId !== input.domain.poolId) return { ok: false, error: 'invalid_client' };
  const isPublic = client.secrets.length === 0;
  if (isPublic && !confidentialOnly) return secret === undefined ? { ok: true, client } : { ok: false, error: 'invalid_client' };
  if (secret === undefined || !secretMatches(s, client, secret)) return { ok: false, error: 'invalid_client' };
  return { ok: true, client };
}

/** Every active secret is compared, in constant time each, so timing shows neither which one matched nor how much of it. */
function secretMatches(s: Pick<Services, 'box'>, client: ClientRecord, provided: string): boolean {
  let match = false;
  for (const sealed of client.secrets) if (constantTimeEqual(s.box.decrypt(sealed.sealed), provided)) match = true;
  return match;
}

/** Whether the client may use an OAuth flow at all and this one (`code`, `implicit`, `client_credentials`). */
export function allowsFlow(client: ClientRecord, flow: 'code' | 'implicit' | 'client_credentials'): boolean {
  const flows = (client.settings.AllowedOAuthFlows as string[] | undefined) ?? [];
  return client.settings.AllowedOAuthFlowsUserPoolClient === true && flows.includes(flow);
}
