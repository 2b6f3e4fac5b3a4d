/** @module Finds a client by id within the pool an admin call names. */
import { errors } from '../../domain/messages.ts';
import type { ClientRecord, PoolRecord } from '../../domain/records.ts';
import type { CallContext } from '../context.ts';
import type { Services } from '../services.ts';
import { loadPool } from './admin-entry.ts';

export async function loadClient(s: Pick<Services, 'store' | 'gate'>, input: Record<string, unknown>, ctx: CallContext): Promise<ClientRecord> {
  return (await loadPoolClient(s, input, ctx)).client;
}

/** The client named by UserPoolId and ClientId, with its pool. */
export async function loadPoolClient(s: Pick<Services, 'store' | 'gate'>, input: Record<string, unknown>, ctx: CallContext): Promise<{ pool: PoolRecord; client: ClientRecord }> {
  const { pool } = await loadPool(s, String(input.UserPoolId), ctx);
  const clientId = String(input.ClientId);
  const client = await s.store.getClient(clientId);
  if (!client || client.poolId !== pool.id) throw errors.clientNotFound(clientId);
  return { pool, client };
}
