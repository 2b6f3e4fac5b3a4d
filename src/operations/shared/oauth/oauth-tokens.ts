/**
 * @module Issuing tokens from the OAuth endpoints (OML §10): the code and implicit grants, the
 * refresh_token grant, and client_credentials. The claims start from API sign-in's, so groups,
 * roles and PreTokenGeneration behave the same; the refresh token is API sign-in's record, so
 * InitiateAuth REFRESH_TOKEN_AUTH accepts an OAuth-issued one (OML §11.2).
 */
import { accessTokenClaims, idTokenClaims } from '../../../domain/tokens/claims.ts';
import { attributesForScopes, clientCredentialsClaims, oauthAccessClaims, oauthIdClaims } from '../../../domain/tokens/oauth-claims.ts';
import { newRefreshToken, refreshTokenDigest } from '../../../domain/tokens/refresh-token.ts';
import { tokenValidity } from '../../../domain/tokens/validity.ts';
import { viewClient } from '../../../domain/pool-view.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../../../domain/records.ts';
import type { RefreshTokenRecord } from '../../../store/sign-in-store.ts';
import type { Services } from '../../services.ts';
import { overrideAccessClaims, overrideIdClaims } from '../sign-in/claim-overrides.ts';
import type { SignInServices } from '../sign-in/outcome.ts';
import { preTokenOverrides } from '../sign-in/sign-in-triggers.ts';
import { randomUUID } from 'node:crypto';

export interface OAuthIssue {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** The granted scopes, in grant order: the access token's `scope`; an ID token only with `openid`. */
  scopes: readonly string[];
  nonce?: string | null;
  /** Epoch ms of the authentication (kept across browser-session reuse and refreshes). */
  authTime: number;
  /** The family: a new one per grant, the refresh token's on a refresh. */
  originJti: string;
  now: number;
  withRefreshToken: boolean;
  /** Which PreTokenGeneration source the function is told. */
  source: 'TokenGeneration_HostedAuth' | 'TokenGeneration_RefreshTokens';
}

export interface OAuthTokens {
  accessToken: string;
  idToken?: string;
  expiresIn: number;
  refresh?: { token: string; record: RefreshTokenRecord };
}

export async function issueOAuthTokens(s: SignInServices, r: OAuthIssue): Promise<OAuthTokens> {
  const { pool, client, user, now } = r;
  const context = { pool, client, clientView: viewClient(client), now };
  const overrides = await preTokenOverrides(s, context, user, r.source, r.scopes);
  const validity = tokenValidity(client.settings);
  const g = overrides?.groupClaims ?? (await s.tokens.groupClaims(pool.id, user.usernameKey));
  const common = { issuer: s.tokens.issuer(pool.id), clientId: client.clientId, originJti: r.originJti, eventId: randomUUID(), authTime: r.authTime, now, groups: g.groups };

  const access = oauthAccessClaims(accessTokenClaims({ ...common, user, validitySeconds: validity.accessSeconds }), r.scopes);
  const accessToken = await s.tokens.sign(pool.id, 'access', overrideAccessClaims(access, overrides), now);
  let idToken: string | undefined;
  if (r.scopes.includes('openid')) {
    const readable = (client.settings.ReadAttributes as string[] | undefined) ?? null;
    const shown = { ...user, attributes: attributesForScopes(user.attributes, r.scopes, readable) };
    const base = idTokenClaims({ ...common, user: shown, roles: g.roles, preferredRole: g.preferredRole, validitySeconds: validity.idSeconds, readableAttributes: readable });
    // at_hash covers the access token as sent, after the function's overrides.
    idToken = await s.tokens.sign(pool.id, 'id', overrideIdClaims(oauthIdClaims(base, { accessToken, nonce: r.nonce }), overrides), now);
  }
  const tokens: OAuthTokens = { accessToken, ...(idToken ? { idToken } : {}), expiresIn: validity.accessSeconds };
  if (!r.withRefreshToken) return tokens;
  const token = newRefreshToken();
  const record: RefreshTokenRecord = {
    digest: refreshTokenDigest(s.box, token),
    poolId: pool.id,
    clientId: client.clientId,
    usernameKey: user.usernameKey,
    originJti: r.originJti,
    authTime: r.authTime,
    issuedAt: now,
    expiresAt: now + validity.refreshSeconds * 1000,
    revokedAt: null,
    rotatedAt: null,
  };
  return { ...tokens, refresh: { token, record } };
}

/** A client_credentials access token (OML §10.1), signed with the pool's access key; `expires_in` is the client's access-token validity. */
export async function issueClientCredentials(s: Pick<Services, 'tokens'>, r: { pool: PoolRecord; client: ClientRecord; scopes: readonly string[]; now: number }): Promise<{ accessToken: string; expiresIn: number }> {
  const expiresIn = tokenValidity(r.client.settings).accessSeconds;
  const claims = clientCredentialsClaims({ issuer: s.tokens.issuer(r.pool.id), clientId: r.client.clientId, scopes: r.scopes, now: r.now, validitySeconds: expiresIn });
  return { accessToken: await s.tokens.sign(r.pool.id, 'access', claims, r.now), expiresIn };
}
