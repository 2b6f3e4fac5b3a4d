/**
 * @module Refreshing a sign-in (sign-in spec §5.3, §10.7, §11): the refresh token is looked up by
 * its keyed digest and must belong to this client, be unexpired, unrevoked and not rotated out;
 * the new ID and access tokens keep its family (`origin_jti`) and original auth_time. Only
 * GetTokensFromRefreshToken and the token endpoint, on a client with rotation enabled, also hand out
 * a new refresh token. A family an OAuth grant started keeps that grant's scopes whichever way it is
 * refreshed (Amplify refreshes hosted-UI sign-ins through InitiateAuth, OML §11.2).
 */
import { errors } from '../../../domain/messages.ts';
import { looksLikeRefreshToken, refreshPolicy, refreshTokenDigest } from '../../../domain/tokens/refresh-token.ts';
import { rotationVerdict, type RefreshTokenRecord } from '../../../store/sign-in-store.ts';
import type { UserRecord } from '../../../domain/records.ts';
import { issueOAuthTokens } from '../oauth/oauth-tokens.ts';
import type { SignInContext, SignInServices } from './outcome.ts';
import { preTokenOverrides } from './sign-in-triggers.ts';
import type { AuthenticationResult } from './token-service.ts';

/** Which operation refreshes: InitiateAuth never rotates, and only GetTokensFromRefreshToken's model has RefreshTokenReuseException. */
export type RefreshVia = 'InitiateAuth' | 'GetTokensFromRefreshToken' | 'TokenEndpoint';

/** `checkOwner` is told the owner's username: SECRET_HASH for a refresh is computed over it (§3.2). */
export async function refreshSignIn(s: SignInServices, c: SignInContext, token: string, checkOwner: (username: string) => void, via: RefreshVia = 'InitiateAuth',
): Promise<{ ChallengeParameters: Record<string, string>; AuthenticationResult: AuthenticationResult }> {
  if (!looksLikeRefreshToken(token)) throw errors.invalidRefreshToken();
  const digest = refreshTokenDigest(s.box, token);
  const record = await s.store.getRefreshToken(digest);
  if (!record || record.clientId !== c.client.clientId || record.poolId !== c.pool.id || record.expiresAt <= c.now) throw errors.invalidRefreshToken();
  const policy = refreshPolicy(c.client.settings);
  const graceMs = policy.retryGraceSeconds * 1000;
  const verdict = rotationVerdict(record, c.now, graceMs);
  if (verdict === 'revoked') throw errors.refreshTokenRevoked();
  if (verdict === 'reused') {
    // Rotated out longer ago than the grace period, so used twice: someone holds a copy. The family
    // ends on either path (RFC 9700 §4.14.2), as the rotation intent does for a reuse it catches
    // itself; InitiateAuth's model has no RefreshTokenReuseException, so there it is just invalid.
    await s.store.revokeFamily(record.poolId, record.originJti, c.now);
    throw via === 'GetTokensFromRefreshToken' ? errors.refreshTokenReused() : errors.invalidRefreshToken();
  }
  const user = await s.store.getUser(c.pool.id, record.usernameKey);
  if (!user) throw errors.invalidRefreshToken();
  checkOwner(user.username);
  if (!user.enabled) throw errors.userDisabled();
  // InitiateAuth never rotates, even on a rotation-enabled client (spec §10.7, I).
  const rotate = via !== 'InitiateAuth' && policy.rotation;
  const { result, refresh } = await refreshedTokens(s, c, user, record, rotate);
  if (!refresh) return { ChallengeParameters: {}, AuthenticationResult: result };

  // A rotation renews the token, not the sign-in: the replacement expires when the submitted one
  // does, so rotating cannot keep a stolen session alive past RefreshTokenValidity.
  const replacement: RefreshTokenRecord = { ...refresh.record, expiresAt: record.expiresAt };
  const rotated = await s.store.rotateRefreshToken({ poolId: c.pool.id, oldDigest: digest, now: c.now, graceMs, replacement });
  switch (rotated.kind) {
    case 'rotated':
    case 'retried':
      return { ChallengeParameters: {}, AuthenticationResult: result };
    // Lost a race to another rotation of the same token; the store has ended the family already.
    case 'reused':
      throw errors.refreshTokenReused();
    case 'revoked':
      throw errors.refreshTokenRevoked();
    case 'unknown':
      throw errors.invalidRefreshToken();
  }
}

/** A refresh is not an authentication: PreAuthentication and PostAuthentication stay silent, only the tokens' trigger runs. */
async function refreshedTokens(s: SignInServices, c: SignInContext, user: UserRecord, record: RefreshTokenRecord, rotate: boolean): Promise<{ result: AuthenticationResult; refresh?: { token: string; record: RefreshTokenRecord } }> {
  const family = { originJti: record.originJti, authTime: record.authTime, now: c.now, withRefreshToken: rotate };
  const scopes = await s.store.grantedScopes(c.pool.id, record.originJti);
  if (!scopes) {
    const overrides = await preTokenOverrides(s, c, user, 'TokenGeneration_RefreshTokens');
    return s.tokens.issue({ pool: c.pool, client: c.client, user, ...family, overrides });
  }
  const t = await issueOAuthTokens(s, { pool: c.pool, client: c.client, user, scopes, ...family, source: 'TokenGeneration_RefreshTokens' });
  // Members in AWS's order; no ID token unless the grant had openid.
  const result: AuthenticationResult = { AccessToken: t.accessToken, ExpiresIn: t.expiresIn, TokenType: 'Bearer', ...(t.refresh ? { RefreshToken: t.refresh.token } : {}), ...(t.idToken ? { IdToken: t.idToken } : {}) };
  return { result, ...(t.refresh ? { refresh: t.refresh } : {}) };
}
