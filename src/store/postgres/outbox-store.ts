/**
 * @module The PostgreSQL outbox aggregate: messages are queued by the other aggregates inside their
 * own transactions (`enqueue`), and leased with `SKIP LOCKED` so that instances share the work.
 */
import type pg from 'pg';
import type { OutboxMessage, OutboxRow } from '../../domain/records.ts';
import type { OutboxPageQuery, OutboxQuery, OutboxStore } from '../outbox-store.ts';
import { statusesOf, watermarkOf } from '../outbox-page.ts';
import { outboxFromRow } from '../rows.ts';
import { first, type PoolScoped } from './context.ts';
import { holdsNul } from './guards.ts';
import { q } from './outbox-statements.ts';

export class PostgresOutboxStore implements OutboxStore, PoolScoped {
  // Messages outlive their pool: what was queued before a DeleteUserPool is still delivered.
  readonly tables = ['outbox'] as const;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Queues a message inside another aggregate's transaction, so it commits with what caused it. */
  async enqueue(c: pg.PoolClient, m: OutboxMessage): Promise<void> {
    await c.query(q('outboxInsert', [m.poolId, m.username, m.medium, m.destination, m.sealedPayload, m.createdAt, m.createdAt]));
  }

  async claimOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxRow[]> {
    const { rows } = await this.#pool.query(q('outboxClaim', [now, limit, now + leaseMs]));
    return rows.map(outboxFromRow).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
  }

  async markOutboxSent(id: number, now: number): Promise<void> {
    await this.#pool.query(q('outboxSent', [now, id]));
  }

  async markOutboxFailed(id: number, error: string, retryAt: number | null): Promise<void> {
    await this.#pool.query(q('outboxFailed', [retryAt === null ? 'failed' : 'pending', error, retryAt, id]));
  }

  async outboxPending(): Promise<{ count: number; oldestCreatedAt: number | null }> {
    const row = await first(this.#pool, q('outboxPending'));
    return { count: Number(row?.n ?? 0), oldestCreatedAt: row?.oldest == null ? null : Number(row.oldest) };
  }

  async listOutbox(query: OutboxQuery): Promise<OutboxRow[]> {
    if (holdsNul(query.poolId ?? '') || holdsNul(query.username ?? '')) return [];
    const statement =
      query.poolId && query.username
        ? q('outboxByPoolUser', [query.poolId, query.username])
        : query.poolId
          ? q('outboxByPool', [query.poolId])
          : query.username
            ? q('outboxByUser', [query.username])
            : q('outboxAll');
    return (await this.#pool.query(statement)).rows.map(outboxFromRow);
  }

  async pageOutbox(query: OutboxPageQuery): Promise<OutboxRow[]> {
    if (holdsNul(query.poolId ?? '')) return [];
    const [a, b] = statusesOf(query.status);
    const statuses = a === null ? null : [a, b];
    const { rows } = await this.#pool.query(q('outboxPage', [query.beforeId ?? Number.MAX_SAFE_INTEGER, query.poolId ?? null, statuses, query.limit]));
    return rows.map(outboxFromRow);
  }

  async getOutboxMessage(id: number): Promise<OutboxRow | undefined> {
    const row = await first(this.#pool, q('outboxGet', [id]));
    return row && outboxFromRow(row);
  }

  async retryOutboxMessage(id: number, now: number): Promise<boolean> {
    return (await this.#pool.query(q('outboxRetry', [now, id]))).rowCount === 1;
  }

  async outboxWatermark(): Promise<string> {
    return watermarkOf((await first(this.#pool, q('outboxWatermark')))!);
  }
}
