/** @module The store contract for the outbox aggregate on every backend: leases, outcomes, and two instances draining one queue. */
import assert from 'node:assert/strict';
import { it, describe } from 'node:test';
import type { Store } from '../../src/store/store.ts';
import { HOUR, message, poolRecord, T0, userRecord } from './fixtures.ts';
import { forEachBackend } from './backends.ts';

forEachBackend('outbox', (store, second) => {
  it('leases outbox messages, lets an expired lease be taken again, and records the outcome', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const pendingBefore = await store.outboxPending();
    const base = T0 + 10 * HOUR;
    for (const [i, name] of ['m1', 'm2', 'm3', 'm4'].entries()) await store.insertUser({ user: userRecord(pool.id, name), aliases: [], messages: [message(pool.id, name, base + i)] });
    const ours = <T extends { poolId: string }>(rows: T[]) => rows.filter((r) => r.poolId === pool.id);
    assert.deepEqual(ours(await store.claimOutbox(base - 1, 1000, 60_000)), [], 'a message was claimed before it was due');

    const claimed = ours(await store.claimOutbox(base + 10, 1000, 60_000));
    assert.deepEqual(claimed.map((m) => m.username), ['m1', 'm2', 'm3', 'm4']);
    assert.ok(claimed.every((m) => m.status === 'sending' && m.attempts === 1 && m.sealedPayload === `sealed-${m.username}`));
    assert.deepEqual(ours(await second.claimOutbox(base + 20, 1000, 60_000)), [], 'a leased message was claimed again');

    const [m1, m2, m3] = claimed;
    await store.markOutboxSent(m1!.id, base + 30);
    await store.markOutboxFailed(m2!.id, 'smtp said no', base + 5 * 60_000);
    await store.markOutboxFailed(m3!.id, 'gave up', null);
    const rows = await store.listOutbox({ poolId: pool.id });
    assert.deepEqual(rows.map((r) => [r.username, r.status]), [['m1', 'sent'], ['m2', 'pending'], ['m3', 'failed'], ['m4', 'sending']]);
    assert.equal(rows[0]!.sentAt, base + 30);
    assert.equal(rows[1]!.lastError, 'smtp said no');
    assert.equal(rows[1]!.nextAttemptAt, base + 5 * 60_000);
    assert.equal(rows[2]!.lastError, 'gave up');

    const expired = ours(await second.claimOutbox(base + 60_010, 1000, HOUR));
    assert.deepEqual(expired.map((m) => [m.username, m.attempts]), [['m4', 2]]);
    const retried = ours(await store.claimOutbox(base + 5 * 60_000, 1000, 60_000));
    assert.deepEqual(retried.map((m) => [m.username, m.attempts]), [['m2', 2]]);
    assert.deepEqual((await store.listOutbox({ username: 'm3' })).filter((m) => m.poolId === pool.id).length, 1);

    // m2 and m4 are still to send; sent and failed messages are not waiting.
    const pending = await second.outboxPending();
    assert.equal(pending.count - pendingBefore.count, 2);
    assert.ok(pending.oldestCreatedAt !== null && pending.oldestCreatedAt <= base + 3);
  });

  // Found by test/fuzz: PostgreSQL refuses a text parameter holding U+0000, which made these lookups 500s.
  it('finds no message by a pool or username holding NUL, which no stored value can', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    assert.deepEqual(await store.listOutbox({ username: 'nul\u0000' }), []);
    assert.deepEqual(await store.listOutbox({ poolId: pool.id, username: '\u0000' }), []);
  });

  describe('under concurrency, across two instances', () => {
    it('two instances draining the outbox claim each message exactly once', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const when = T0 + 100 * HOUR;
      for (let i = 0; i < 40; i++) await store.insertUser({ user: userRecord(pool.id, `mail${i}`), aliases: [], messages: [message(pool.id, `mail${i}`, when)] });
      const drain = async (s: Store) => {
        const ids: number[] = [];
        for (;;) {
          const batch = await s.claimOutbox(when + 1, 3, HOUR);
          if (batch.length === 0) return ids;
          ids.push(...batch.filter((m) => m.poolId === pool.id).map((m) => m.id));
        }
      };
      const [a, b, c, d] = await Promise.all([drain(store), drain(second), drain(store), drain(second)]);
      const all = [...a!, ...b!, ...c!, ...d!];
      assert.equal(all.length, 40, `claimed ${all.length} times`);
      assert.equal(new Set(all).size, 40, 'a message was claimed twice');
    });
  });
});
