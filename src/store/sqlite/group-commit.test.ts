/**
 * @module Group commit: writes in one batch stay atomic one by one, a failing write rolls back
 * alone, nobody hears of a commit before its fsync has returned, and the next batch commits as
 * soon as it has.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommitter } from './group-commit.ts';

function freshDb() {
  const path = join(mkdtempSync(join(tmpdir(), 'userpool-gc-')), 'gc.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
  return Object.assign(db, { walPath: `${path}-wal` });
}

/** A committer that fsyncs the WAL, as the store's is; `close` releases the file and the descriptor. */
function durableCommitter(hooks?: ConstructorParameters<typeof GroupCommitter>[2]) {
  const db = freshDb();
  const wal = openSync(db.walPath, 'r');
  const writes = new GroupCommitter(db, wal, hooks);
  const close = () => {
    db.close();
    closeSync(wal);
  };
  return { db, writes, close };
}

test('writes queued together commit together, and a throwing write leaves no trace while the others land', async () => {
  const db = freshDb();
  const writes = new GroupCommitter(db);
  const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
  const results = await Promise.allSettled([
    writes.run(() => insert.run('a').changes),
    writes.run(() => {
      insert.run('half-done');
      throw new Error('refused after a partial write');
    }),
    writes.run(() => insert.run('b').changes),
  ]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.equal((results[1] as PromiseRejectedResult).reason.message, 'refused after a partial write');
  assert.deepEqual(db.prepare('SELECT k FROM t ORDER BY k').pluck().all(), ['a', 'b']);
  db.close();
});

test('drain commits queued writes at once, before the scheduled flush', async () => {
  const db = freshDb();
  const writes = new GroupCommitter(db);
  const pending = writes.run(() => db.prepare("INSERT INTO t (k) VALUES ('x')").run().changes);
  writes.drain();
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 1);
  assert.equal(await pending, 1);
  db.close();
});

test('writes that arrive while a batch is syncing form the next batch, committed once that fsync returns', async () => {
  const batches: number[] = [];
  const syncs: number[] = [];
  const { db, writes, close } = durableCommitter({ onBatch: (n) => batches.push(n), onSync: (s) => syncs.push(s) });
  const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
  const first = writes.run(() => insert.run('a').changes);
  await new Promise((resolve) => setImmediate(resolve));
  // Batch one is committed and its fsync is running on the thread pool; these wait for it.
  assert.deepEqual(batches, [1]);
  const later = [writes.run(() => insert.run('b').changes), writes.run(() => insert.run('c').changes)];
  // One commit per fsync: when the first writer hears back, the next batch has not been committed yet.
  const rowsWhenFirstAnswered = await first.then(() => db.prepare('SELECT count(*) FROM t').pluck().get());
  assert.equal(rowsWhenFirstAnswered, 1);
  assert.deepEqual(await Promise.all(later), [1, 1]);
  assert.deepEqual(batches, [1, 2]);
  assert.equal(syncs.length, 2);
  assert.ok(syncs.every((s) => s >= 0));
  close();
});

test('a read that saw a commit still being synced waits for that fsync; one that saw none does not', async () => {
  const { db, writes, close } = durableCommitter();
  assert.equal(writes.durable(writes.committed), undefined);
  const events: string[] = [];
  const write = writes.run(() => db.prepare("INSERT INTO t (k) VALUES ('x')").run().changes).then(() => events.push('write answered'));
  await new Promise((resolve) => setImmediate(resolve));
  // The row is visible to a read now, though its fsync has not returned.
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 1);
  const seen = writes.committed;
  const barrier = writes.durable(seen);
  assert.ok(barrier, 'a read after an unsynced commit must wait');
  const read = barrier.then(() => events.push('read answered'));
  await Promise.all([write, read]);
  assert.deepEqual(events, ['write answered', 'read answered']);
  assert.equal(writes.durable(seen), undefined);
  close();
});

test('drain syncs a batch whose fsync is still running and commits what is queued', async () => {
  const { db, writes, close } = durableCommitter();
  const first = writes.run(() => db.prepare("INSERT INTO t (k) VALUES ('1')").run().changes);
  await new Promise((resolve) => setImmediate(resolve));
  const second = writes.run(() => db.prepare("INSERT INTO t (k) VALUES ('2')").run().changes);
  writes.drain();
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 2);
  assert.deepEqual(await Promise.all([first, second]), [1, 1]);
  close();
});
