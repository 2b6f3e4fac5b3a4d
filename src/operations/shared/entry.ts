/**
 * @module The checks public operations make before acting, in the order of spec §3: client, request
 * rules (WAF), SecretHash, rate quota, then user resolution.
 */
import { errors } from '../../domain/messages.ts';
import { viewClient, viewPool, type ClientView, type PoolView } from '../../domain/pool-view.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../../domain/records.ts';
import { secretHashMatches } from '../../domain/secret-hash.ts';
import { loginAliases, usernameKey } from '../../domain/usernames.ts';
import type { CallContext } from '../context.ts';
import type { Services } from '../services.ts';

export interface ClientEntry {
  client: ClientRecord;
  pool: PoolRecord;
  clientView: ClientView;
  poolView: PoolView;
}

/** Steps 2–3: the client must exist and the pool's request rules must let this caller through. */
export async function enterAsClient(s: Pick<Services, 'store' | 'gate'>, clientId: string, ctx: CallContext): Promise<ClientEntry> {
  const client = await s.store.getClient(clientId);
  const pool = client && (await s.store.getUserPool(client.poolId));
  if (!client || !pool) throw errors.clientNotFound(clientId);
  s.gate.checkRules(pool.id, ctx.operation, ctx.sourceIp);
  return { client, pool, clientView: viewClient(client), poolView: viewPool(pool) };
}

/**
 * Step 5 (spec §5.7): a client with secrets demands a hash over the username it was sent, or over
 * the canonical username when the caller signed in with an alias or `sub`. A hash sent to a
 * client without secrets is ignored.
 */
export function checkSecretHash(
  s: Pick<Services, 'box'>,
  client: ClientRecord,
  usernames: readonly string[],
  provided: unknown,
  // Sign-in reports the same two faults in other words (sign-in spec §8).
  wording: { missing: (clientId: string) => Error; mismatch: (clientId: string) => Error } = { missing: errors.secretHashMissing, mismatch: errors.secretHashMismatch },
): void {
  if (client.secrets.length === 0) return;
  if (typeof provided !== 'string') throw wording.missing(client.clientId);
  const secrets = client.secrets.map((secret) => s.box.decrypt(secret.sealed));
  if (!secretHashMatches(provided, secrets, usernames, client.clientId)) throw wording.mismatch(client.clientId);
}

/** Step 7 (spec §5.1): username, then active aliases, then `sub`. */
export function resolveUser(s: Pick<Services, 'store'>, pool: PoolView, login: string): Promise<UserRecord | undefined> {
  return s.store.findUser(pool.id, { usernameKey: usernameKey(pool, login), aliases: loginAliases(pool, login), sub: login });
}

/** Resolution plus the SecretHash and quota checks, which Cognito reports before "not found". */
export async function enterForUser(
  s: Pick<Services, 'store' | 'gate' | 'box'>,
  input: { ClientId: string; Username: string; SecretHash?: string },
  ctx: CallContext,
  userContext?: { IpAddress?: string },
): Promise<ClientEntry & { user: UserRecord | undefined }> {
  const entry = await enterAsClient(s, input.ClientId, ctx);
  const user = await resolveUser(s, entry.poolView, input.Username);
  checkSecretHash(s, entry.client, user ? [input.Username, user.username] : [input.Username], input.SecretHash);
  s.gate.checkRate(ctx.operation, ctx.now, callerAddress(entry.clientView, ctx, userContext));
  return { ...entry, user };
}

/**
 * UserContextData.IpAddress speaks for the end user only when the client is trusted to propagate it
 * and the caller proved the client secret; once the last secret is deleted anyone could claim any
 * address and so escape the per-address rate.
 */
export function callerAddress(client: ClientView, ctx: CallContext, userContext?: { IpAddress?: string }): string {
  return client.propagateUserContext && client.hasSecret && userContext?.IpAddress ? userContext.IpAddress : ctx.sourceIp;
}
