/**
 * @module The caller behind an access token, for GetUser, GlobalSignOut and the account operations
 * that follow: the token is checked (signature, expiry, scope, revocation) and its user loaded.
 */
import { errors } from '../../../domain/messages.ts';
import { viewPool, type PoolView } from '../../../domain/pool-view.ts';
import type { PoolRecord, UserRecord } from '../../../domain/records.ts';
import { usernameKey } from '../../../domain/usernames.ts';
import type { AccessTokenClaims } from '../../../domain/tokens/claims.ts';
import type { CallContext } from '../../context.ts';
import type { Services } from '../../services.ts';

export interface SignedInUser {
  pool: PoolRecord;
  poolView: PoolView;
  user: UserRecord;
  claims: AccessTokenClaims;
}

export async function signedInUser(s: Services, accessToken: string, ctx: CallContext): Promise<SignedInUser> {
  const { claims, poolId } = await s.tokens.checkAccessToken(accessToken, ctx.now);
  const pool = await s.store.getUserPool(poolId);
  if (!pool) throw errors.invalidAccessToken();
  const poolView = viewPool(pool);
  s.gate.checkRules(pool.id, ctx.operation, ctx.sourceIp);
  s.gate.checkRate(ctx.operation, ctx.now, ctx.sourceIp);
  const user = await s.store.getUser(pool.id, usernameKey(poolView, claims.username));
  // A user created again under a deleted user's name is someone else: the old token names the old sub.
  if (!user || user.sub !== claims.sub) throw errors.userNotFound();
  if (!user.enabled) throw errors.userDisabled();
  return { pool, poolView, user, claims };
}
