/**
 * @module grant_type=authorization_code (OML §6.1–§6.3): the code is redeemed first, in one store
 * update that succeeds once, and only then compared with the request (client, redirect_uri, PKCE
 * verifier). A wrong guess therefore spends the code: a verifier cannot be tried twice against it.
 */
import { randomUUID } from 'node:crypto';
import { scopesUnreadable } from '../../../domain/tokens/oauth-claims.ts';
import { tokenValidity } from '../../../domain/tokens/validity.ts';
import type { Services } from '../../services.ts';
import { allowsFlow, authenticateClient } from './client-auth.ts';
import { authorizationCodeDigest, pkceMatches } from './grant-secrets.ts';
import { issueOAuthTokens } from './oauth-tokens.ts';
import { fail, tokenBody, type TokenOutcome, type TokenRequest } from './token-grant.ts';

/** Longer than any code this server issues (a UUID); longer input is not worth a MAC. */
const MAX_CODE_LENGTH = 256;

export async function authorizationCodeGrant(s: Services, request: TokenRequest): Promise<TokenOutcome> {
  const code = request.params.get('code');
  const redirectUri = request.params.get('redirect_uri');
  if (!code || !redirectUri) return fail('invalid_request');
  const auth = await authenticateClient(s, request, false);
  if (!auth.ok) return auth;
  const { client } = auth;
  if (!allowsFlow(client, 'code')) return fail('unauthorized_client');
  if (code.length > MAX_CODE_LENGTH) return fail('invalid_grant');

  const pool = await s.store.getUserPool(client.poolId);
  if (!pool) return fail('invalid_client');
  const validity = tokenValidity(client.settings);
  const originJti = randomUUID();
  const family = { originJti, expiresAt: request.now + validity.refreshSeconds * 1000 };
  const redeemed = await s.store.redeemAuthorizationCode(pool.id, authorizationCodeDigest(s.box, code), request.now, family);
  if (redeemed.kind !== 'redeemed') return fail('invalid_grant');
  const grant = redeemed.code;
  // The code is bound to its client and redirect_uri (compared exactly) and to its PKCE challenge;
  // a verifier sent for a code issued without PKCE is ignored (OML §6.3, I).
  if (grant.clientId !== client.clientId || grant.redirectUri !== redirectUri) return fail('invalid_grant');
  if (grant.codeChallenge !== null && !pkceMatches(request.params.get('code_verifier'), grant.codeChallenge)) return fail('invalid_grant');
  if (scopesUnreadable(grant.scopes, (client.settings.ReadAttributes as string[] | undefined) ?? null)) return fail('invalid_grant');

  const user = await s.store.getUser(pool.id, grant.usernameKey);
  if (!user || !user.enabled) return fail('invalid_grant');
  const tokens = await issueOAuthTokens(s, {
    pool, client, user, scopes: grant.scopes, nonce: grant.nonce, authTime: grant.authTime, originJti, now: request.now, withRefreshToken: true, source: 'TokenGeneration_HostedAuth',
  });
  const stored = await s.store.completeSignIn({ poolId: pool.id, usernameKey: user.usernameKey, now: request.now, refreshToken: tokens.refresh!.record });
  if (stored.kind !== 'done') return fail('invalid_grant');
  return { ok: true, body: tokenBody({ ...tokens, refreshToken: tokens.refresh!.token }) };
}
