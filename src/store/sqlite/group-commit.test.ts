/** @module Group commit: writes in one batch stay atomic one by one, and a failing write rolls back alone. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommitter } from './group-commit.ts';

function freshDb() {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'userpool-gc-')), 'gc.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
  return db;
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
