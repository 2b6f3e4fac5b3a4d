/** @module Pool and user lookup for the IAM-authorised admin operations. */
import { errors } from '../../domain/messages.ts';
import { viewPool, type PoolView } from '../../domain/pool-view.ts';
import type { PoolRecord, UserRecord } from '../../domain/records.ts';
import type { CallContext } from '../context.ts';
import type { Services } from '../services.ts';
import { resolveUser } from './entry.ts';

export async function loadPool(s: Pick<Services, 'store' | 'gate'>, poolId: string, ctx: CallContext): Promise<{ pool: PoolRecord; poolView: PoolView }> {
  const pool = await s.store.getUserPool(poolId);
  if (!pool) throw errors.poolNotFound(poolId);
  s.gate.checkRate(ctx.operation, ctx.now);
  return { pool, poolView: viewPool(pool) };
}

export async function loadUser(
  s: Pick<Services, 'store' | 'gate'>,
  poolId: string,
  login: string,
  ctx: CallContext,
): Promise<{ pool: PoolRecord; poolView: PoolView; user: UserRecord }> {
  const { pool, poolView } = await loadPool(s, poolId, ctx);
  const user = await resolveUser(s, poolView, login);
  if (!user) throw errors.userNotFound();
  return { pool, poolView, user };
}
