/**
 * @module Refreshing a sign-in (sign-in spec §5.3, §11): the refresh token is looked up by its
 * keyed digest and must belong to this client, be unexpired and unrevoked; the new ID and access
 * tokens keep its family (`origin_jti`) and original auth_time, and no new refresh token is issued.
 */
import { errors } from '../../../domain/messages.ts';
import { looksLikeRefreshToken, refreshTokenDigest } from '../../../domain/tokens/refresh-token.ts';
import type { SignInContext, SignInServices } from './outcome.ts';
import { preTokenOverrides } from './sign-in-triggers.ts';
import type { AuthenticationResult } from './token-service.ts';

/** `checkOwner` is told the owner's username: SECRET_HASH for a refresh is computed over it (§3.2). */
export async function refreshSignIn(s: SignInServices, c: SignInContext, token: string, checkOwner: (username: string) => void,
): Promise<{ ChallengeParameters: Record<string, string>; AuthenticationResult: AuthenticationResult }> {
  if (!looksLikeRefreshToken(token)) throw errors.invalidRefreshToken();
  const record = await s.store.getRefreshToken(refreshTokenDigest(s.box, token));
  if (!record || record.clientId !== c.client.clientId || record.poolId !== c.pool.id || record.expiresAt <= c.now) throw errors.invalidRefreshToken();
  if (record.revokedAt !== null) throw errors.refreshTokenRevoked();
  const user = await s.store.getUser(c.pool.id, record.usernameKey);
  if (!user) throw errors.invalidRefreshToken();
  checkOwner(user.username);
  if (!user.enabled) throw errors.userDisabled();
  // A refresh is not an authentication: PreAuthentication and PostAuthentication stay silent, only the tokens' trigger runs.
  const overrides = await preTokenOverrides(s, c, user, 'TokenGeneration_RefreshTokens');
  const { result } = await s.tokens.issue({ pool: c.pool, client: c.client, user, now: c.now, originJti: record.originJti, authTime: record.authTime, withRefreshToken: false, overrides });
  return { ChallengeParameters: {}, AuthenticationResult: result };
}
