/**
 * @module Refreshing a sign-in (sign-in spec §5.3, §10.7, §11): the refresh token is looked up by
 * its keyed digest and must belong to this client, be unexpired, unrevoked and not rotated out;
 * the new ID and access tokens keep its family (`origin_jti`) and original auth_time. Only
 * GetTokensFromRefreshToken on a client with rotation enabled also hands out a new refresh token.
 */
import { errors } from '../../../domain/messages.ts';
import { looksLikeRefreshToken, refreshPolicy, refreshTokenDigest } from '../../../domain/tokens/refresh-token.ts';
import { rotationVerdict, type RefreshTokenRecord } from '../../../store/sign-in-store.ts';
import type { SignInContext, SignInServices } from './outcome.ts';
import { preTokenOverrides } from './sign-in-triggers.ts';
import type { AuthenticationResult } from './token-service.ts';

/** Which operation refreshes: only GetTokensFromRefreshToken rotates, and only its model has RefreshTokenReuseException. */
export type RefreshVia = 'InitiateAuth' | 'GetTokensFromRefreshToken';

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
  // A refresh is not an authentication: PreAuthentication and PostAuthentication stay silent, only the tokens' trigger runs.
  const overrides = await preTokenOverrides(s, c, user, 'TokenGeneration_RefreshTokens');
  // InitiateAuth never rotates, even on a rotation-enabled client (spec §10.7, I).
  const rotate = via === 'GetTokensFromRefreshToken' && policy.rotation;
  const { result, refresh } = await s.tokens.issue({ pool: c.pool, client: c.client, user, now: c.now, originJti: record.originJti, authTime: record.authTime, withRefreshToken: rotate, overrides });
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
