/**
 * @module What the sign-in operations share before a flow starts: the client (and, for the Admin
 * operations, the pool it must belong to), the request rules and the UserAuthentication quota.
 */
import { errors } from '../../../domain/messages.ts';
import type { ClientRecord } from '../../../domain/records.ts';
import { constantTimeEqual, type SecretBox } from '../../../util/secret-box.ts';
import { viewClient, viewPool, type PoolView } from '../../../domain/pool-view.ts';
import type { CallContext } from '../../context.ts';
import type { Services } from '../../services.ts';
import { callerAddress, enterAsClient, resolveUser } from '../entry.ts';
import type { SignInContext } from './outcome.ts';
import type { StartAuthDeps } from './start-auth.ts';

/** The collaborators the sign-in flows use, shaped from the server's services. */
export function signInDeps(s: Services): StartAuthDeps {
  return {
    store: s.store,
    box: s.box,
    passwords: s.passwords,
    tokens: s.tokens,
    lockout: s.lockout,
    triggers: s.triggers,
    region: s.region,
    wakeOutbox: s.wakeOutbox,
    resolveUser: (pool: PoolView, login: string) => resolveUser(s, pool, login),
  };
}

/** The raw client secret (not a hash), as GetTokensFromRefreshToken and RevokeToken take it; true for public clients. */
export function clientSecretMatches(box: SecretBox, client: ClientRecord, given: string | undefined): boolean {
  if (client.secrets.length === 0) return true;
  let match = false;
  // Every secret is compared, so the time does not say which one (if any) matched.
  for (const secret of client.secrets) if (constantTimeEqual(box.decrypt(secret.sealed), given ?? '')) match = true;
  return match;
}

/** Public operations (InitiateAuth, RespondToAuthChallenge): the caller names only the client. */
export async function enterPublicSignIn(s: Services, clientId: string, ctx: CallContext, userContext?: { IpAddress?: string }): Promise<SignInContext & { poolView: PoolView }> {
  const entry = await enterAsClient(s, clientId, ctx);
  s.gate.checkRate(ctx.operation, ctx.now, callerAddress(entry.clientView, ctx, userContext));
  return { pool: entry.pool, poolView: entry.poolView, client: entry.client, clientView: entry.clientView, now: ctx.now, userAgent: ctx.userAgent };
}

/** Admin operations name the pool too, and the client must be one of its own. */
export async function enterAdminSignIn(s: Services, poolId: string, clientId: string, ctx: CallContext): Promise<SignInContext & { poolView: PoolView }> {
  const pool = await s.store.getUserPool(poolId);
  if (!pool) throw errors.poolNotFound(poolId);
  const client = await s.store.getClient(clientId);
  if (!client || client.poolId !== pool.id) throw errors.clientNotFound(clientId);
  s.gate.checkRate(ctx.operation, ctx.now);
  return { pool, poolView: viewPool(pool), client, clientView: viewClient(client), now: ctx.now, userAgent: ctx.userAgent };
}
