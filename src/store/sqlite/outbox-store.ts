/**
 * @module The SQLite outbox aggregate: messages are queued by the other aggregates inside their own
 * writes (`enqueue`), and leased, marked and listed here. One process owns the file, so a lease
 * needs no row locks: claiming runs inside the group commit like any other write.
 */
import type { OutboxMessage, OutboxRow } from '../../domain/records.ts';
import type { OutboxPageQuery, OutboxQuery, OutboxStore } from '../outbox-store.ts';
import { statusesOf, watermarkOf } from '../outbox-page.ts';
import { outboxFromRow } from '../rows.ts';
import { prepareAll, type PoolScoped, type Row, type SqliteContext } from './context.ts';
import { outboxSql } from './outbox-statements.ts';

export class SqliteOutboxStore implements OutboxStore, PoolScoped {
  // Messages outlive their pool: what was queued before a DeleteUserPool is still delivered.
  readonly tables = ['outbox'] as const;
  readonly #ctx: SqliteContext;
  readonly #s;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    this.#s = prepareAll(ctx.db, outboxSql);
  }

  /** Queues a message; only inside another aggregate's write, so it commits with what caused it. */
  enqueue(m: OutboxMessage): void {
    this.#s.outboxInsert.run(m.poolId, m.username, m.medium, m.destination, m.sealedPayload, m.createdAt, m.createdAt);
  }

  async claimOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxRow[]> {
    return this.#ctx.writes.run(() => {
      const ids = this.#s.outboxDue.all(now, now, limit) as { id: number }[];
      return ids.map(({ id }) => outboxFromRow(this.#s.outboxLease.get(now + leaseMs, id) as Row));
    });
  }

  async markOutboxSent(id: number, now: number): Promise<void> {
    await this.#ctx.writes.run(() => this.#s.outboxSent.run(now, id));
  }

  async markOutboxFailed(id: number, error: string, retryAt: number | null): Promise<void> {
    await this.#ctx.writes.run(() => this.#s.outboxFailed.run(retryAt === null ? 'failed' : 'pending', error, retryAt, id));
  }

  async outboxPending(): Promise<{ count: number; oldestCreatedAt: number | null }> {
    const row = this.#s.outboxPending.get() as { n: number; oldest: number | null };
    return { count: Number(row.n), oldestCreatedAt: row.oldest === null ? null : Number(row.oldest) };
  }

  async listOutbox(query: OutboxQuery): Promise<OutboxRow[]> {
    const rows =
      query.poolId && query.username
        ? this.#s.outboxByPoolUser.all(query.poolId, query.username)
        : query.poolId
          ? this.#s.outboxByPool.all(query.poolId)
          : query.username
            ? this.#s.outboxByUser.all(query.username)
            : this.#s.outboxAll.all();
    return (rows as Row[]).map(outboxFromRow);
  }

  async pageOutbox(query: OutboxPageQuery): Promise<OutboxRow[]> {
    const pool = query.poolId ?? null;
    const [a, b] = statusesOf(query.status);
    const rows = this.#s.outboxPage.all(query.beforeId ?? Number.MAX_SAFE_INTEGER, pool, pool, a, a, b, query.limit) as Row[];
    return rows.map(outboxFromRow);
  }

  async getOutboxMessage(id: number): Promise<OutboxRow | undefined> {
    const row = this.#s.outboxGet.get(id) as Row | undefined;
    return row && outboxFromRow(row);
  }

  async retryOutboxMessage(id: number, now: number): Promise<boolean> {
    return this.#ctx.writes.run(() => this.#s.outboxRetry.run(now, id).changes === 1);
  }

  async outboxWatermark(): Promise<string> {
    return watermarkOf(this.#s.outboxWatermark.get() as Row);
  }
}
