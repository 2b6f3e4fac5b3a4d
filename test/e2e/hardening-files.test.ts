/** @module The database directory and files are the server user's alone (0700 / 0600), new or inherited. */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { createPool } from '../helpers/fixtures.ts';
import { startTestServer } from '../helpers/server.ts';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('database file permissions', { skip: process.env.USERPOOL_TEST_DB ? 'these look at SQLite files' : false }, () => {
  test('a fresh data directory is 0700 and the database, -wal and -shm files are 0600', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'userpool-perm-')), 'data', 'nested');
    const db = join(dir, 'userpool.db');
    const server = await startTestServer({ db });
    try {
      await createPool(server.client());
      assert.equal(mode(dir), '700');
      assert.equal(mode(join(dir, '..')), '700');
      for (const file of [db, `${db}-wal`, `${db}-shm`]) assert.equal(mode(file), '600', file);
    } finally {
      await server.stop();
    }
  });

  test('files an earlier start left world-readable are narrowed to 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userpool-perm-'));
    const db = join(dir, 'old.db');
    new Database(db).close();
    writeFileSync(`${db}-wal`, '');
    chmodSync(db, 0o644);
    chmodSync(`${db}-wal`, 0o644);
    const server = await startTestServer({ db });
    try {
      for (const file of [db, `${db}-wal`]) assert.equal(mode(file), '600', file);
    } finally {
      await server.stop();
    }
  });
});
