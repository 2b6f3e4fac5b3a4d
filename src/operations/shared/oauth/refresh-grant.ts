/**
 * @module grant_type=refresh_token (OML §6.1–§6.3, §11.2): the same refresh as InitiateAuth's and
 * GetTokensFromRefreshToken's (client, pool, expiry, revocation, rotation; an OAuth family keeps
 * its scopes), answered in the token endpoint's terms: every refusal is `invalid_grant`. A new
 * refresh token only when the client rotates.
 */
import { isCognitoError } from '../../../domain/errors.ts';
import { viewClient } from '../../../domain/pool-view.ts';
import type { Services } from '../../services.ts';
import { refreshSignIn } from '../sign-in/refresh.ts';
import { allowsFlow, authenticateClient } from './client-auth.ts';
import { fail, tokenBody, type TokenOutcome, type TokenRequest } from './token-grant.ts';

/** What the shared refresh throws for a token that cannot be refreshed (invalid, revoked, reused, disabled user). */
const REFUSALS = new Set(['NotAuthorizedException', 'RefreshTokenReuseException']);

export async function refreshTokenGrant(s: Services, request: TokenRequest): Promise<TokenOutcome> {
  const token = request.params.get('refresh_token');
  if (!token) return fail('invalid_request');
  const auth = await authenticateClient(s, request, false);
  if (!auth.ok) return auth;
  const { client } = auth;
  // Refresh tokens come from the code grant here, so the client must allow it (OML §6.3, I).
  if (!allowsFlow(client, 'code')) return fail('unauthorized_client');
  const pool = await s.store.getUserPool(client.poolId);
  if (!pool) return fail('invalid_grant');
  try {
    // The client authenticated above, so the owner needs no SECRET_HASH check.
    const { AuthenticationResult: r } = await refreshSignIn(s, { pool, client, clientView: viewClient(client), now: request.now }, token, () => {}, 'TokenEndpoint');
    return { ok: true, body: tokenBody({ accessToken: r.AccessToken, idToken: r.IdToken, refreshToken: r.RefreshToken, expiresIn: r.ExpiresIn }) };
  } catch (error) {
    if (isCognitoError(error) && REFUSALS.has(error.type)) return fail('invalid_grant');
    throw error;
  }
}
