/**
 * @module The store contract for the outbox aggregate on every backend: leases, outcomes, two
 * instances draining one queue, and the admin console's reads, retry and live-view watermarks.
 */
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

  describe("the admin console's intents", () => {
    const queue = async (poolId: string, names: string[], at: number) => {
      for (const name of names) await store.insertUser({ user: userRecord(poolId, name), aliases: [], messages: [message(poolId, name, at)] });
    };

    it('pages messages newest first by id, filtered by pool and status, and reads one by id', async () => {
      const [a, b] = [poolRecord(), poolRecord()];
      await store.createUserPool(a);
      await store.createUserPool(b);
      const at = T0 + 200 * HOUR;
      await queue(a.id, ['pa1', 'pa2', 'pa3', 'pa4', 'pa5'], at);
      await queue(b.id, ['pb1', 'pb2'], at);
      const first = await store.pageOutbox({ poolId: a.id, limit: 2 });
      assert.deepEqual(first.map((m) => m.username), ['pa5', 'pa4']);
      const next = await second.pageOutbox({ poolId: a.id, limit: 2, beforeId: first.at(-1)!.id });
      assert.deepEqual(next.map((m) => m.username), ['pa3', 'pa2']);
      const last = await store.pageOutbox({ poolId: a.id, limit: 2, beforeId: next.at(-1)!.id });
      assert.deepEqual(last.map((m) => m.username), ['pa1']);
      const across = await store.pageOutbox({ limit: 3 });
      assert.deepEqual(across.map((m) => m.username), ['pb2', 'pb1', 'pa5'], 'without a pool every pool is listed, newest first');

      const claimed = (await store.claimOutbox(at + 1, 1000, HOUR)).filter((m) => m.poolId === a.id);
      const byName = new Map(claimed.map((m) => [m.username, m]));
      await store.markOutboxSent(byName.get('pa1')!.id, at + 2);
      await store.markOutboxFailed(byName.get('pa2')!.id, 'refused', null);
      await store.markOutboxFailed(byName.get('pa3')!.id, 'try later', at + HOUR);
      const names = async (status: 'queued' | 'sent' | 'failed') => (await store.pageOutbox({ poolId: a.id, status, limit: 10 })).map((m) => m.username);
      assert.deepEqual(await names('sent'), ['pa1']);
      assert.deepEqual(await names('failed'), ['pa2']);
      assert.deepEqual(await names('queued'), ['pa5', 'pa4', 'pa3'], 'queued is pending or leased');
      assert.deepEqual(await store.pageOutbox({ poolId: 'nul\u0000', limit: 10 }), []);

      const one = await second.getOutboxMessage(byName.get('pa2')!.id);
      assert.deepEqual([one?.username, one?.status, one?.lastError, one?.sealedPayload], ['pa2', 'failed', 'refused', 'sealed-pa2']);
      assert.equal(await store.getOutboxMessage(2 ** 40), undefined);
    });

    it('retries only a failed message, making it due at once; sent, queued and unknown messages stay as they are', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const at = T0 + 300 * HOUR;
      await queue(pool.id, ['r1', 'r2', 'r3'], at);
      const claimed = (await store.claimOutbox(at + 1, 1000, HOUR)).filter((m) => m.poolId === pool.id);
      const [r1, r2, r3] = claimed;
      await store.markOutboxFailed(r1!.id, 'refused', null);
      await store.markOutboxSent(r2!.id, at + 2);
      assert.equal(await store.retryOutboxMessage(r2!.id, at + 10), false, 'a sent message was queued again');
      assert.equal(await store.retryOutboxMessage(r3!.id, at + 10), false, 'a leased message was retried');
      assert.equal(await store.retryOutboxMessage(2 ** 40, at + 10), false);

      assert.equal(await second.retryOutboxMessage(r1!.id, at + 10), true);
      const retried = await store.getOutboxMessage(r1!.id);
      assert.deepEqual([retried?.status, retried?.nextAttemptAt, retried?.attempts], ['pending', at + 10, 1]);
      assert.equal(await store.retryOutboxMessage(r1!.id, at + 11), false, 'a pending message was retried again');
      const again = (await store.claimOutbox(at + 10, 1000, HOUR)).filter((m) => m.poolId === pool.id);
      assert.deepEqual(again.map((m) => [m.username, m.attempts]), [['r1', 2]]);
      assert.equal((await store.getOutboxMessage(r2!.id))?.status, 'sent');
    });

    it('20 concurrent retries of one failed message across two instances retry it once', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const at = T0 + 400 * HOUR;
      await queue(pool.id, ['race'], at);
      const [m] = (await store.claimOutbox(at + 1, 1000, HOUR)).filter((x) => x.poolId === pool.id);
      await store.markOutboxFailed(m!.id, 'refused', null);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? second : store).retryOutboxMessage(m!.id, at + 5)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('the outbox watermark changes when a message is queued, leased, sent, failed or retried, and only then', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const at = T0 + 500 * HOUR;
      const marks: string[] = [await store.outboxWatermark()];
      const step = async (what: string) => {
        const mark = await second.outboxWatermark();
        assert.notEqual(mark, marks.at(-1), `the watermark did not change when ${what}`);
        marks.push(mark);
      };
      assert.equal(await second.outboxWatermark(), marks[0], 'the watermark changed with nothing done');
      await queue(pool.id, ['w1'], at);
      await step('a message was queued');
      const [w1] = (await store.claimOutbox(at + 1, 1000, HOUR)).filter((m) => m.poolId === pool.id);
      await step('a message was leased');
      await store.markOutboxFailed(w1!.id, 'refused', null);
      await step('a message failed');
      await store.retryOutboxMessage(w1!.id, at + 2);
      await step('a message was retried');
      await store.claimOutbox(at + 2, 1000, HOUR);
      await step('a message was leased again');
      await store.markOutboxSent(w1!.id, at + 3);
      await step('a message was sent');
    });

    it("a pool's users watermark changes when its users are added, changed or deleted, and not for another pool's", async () => {
      const [pool, other] = [poolRecord(), poolRecord()];
      await store.createUserPool(pool);
      await store.createUserPool(other);
      const empty = await store.usersWatermark(pool.id);
      await store.insertUser({ user: userRecord(pool.id, 'u1'), aliases: [], messages: [] });
      const added = await second.usersWatermark(pool.id);
      assert.notEqual(added, empty);
      await store.insertUser({ user: userRecord(other.id, 'u1'), aliases: [], messages: [] });
      assert.equal(await store.usersWatermark(pool.id), added, "another pool's user moved this pool's watermark");
      await store.setUserEnabled(pool.id, 'u1', false, T0 + 600 * HOUR);
      const changed = await store.usersWatermark(pool.id);
      assert.notEqual(changed, added);
      await store.deleteUser(pool.id, 'u1');
      assert.notEqual(await second.usersWatermark(pool.id), changed);
    });
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
