/**
 * @module The SQLite file: WAL with every commit fsynced, argon2id password hashes, and no plaintext
 * password, code or client secret anywhere in its bytes (issue 2 item 5).
 */
import assert from 'node:assert/strict';
import { existsSync, fstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CreateUserPoolClientCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { filteredUserPage } from '../../src/store/sqlite/user-statements.ts';
import { createPool } from '../helpers/fixtures.ts';
import { startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const PASSWORD = 'Plaintext-Canary-7391!';
const DECLARED_SECRET = 'declaredsecretcanary0123456789abcdef';

describe('sqlite open settings', () => {
  it('opens files in WAL mode and, by default, holds the WAL open for the fsync of every commit', () => {
    const path = join(tmpdir(), `userpool-open-${randomUUID()}.db`);
    const opened = openSqlite({ path });
    const { db } = opened;
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      // 1 is NORMAL: SQLite does not sync inside COMMIT; the group committer fsyncs this
      // descriptor off the event loop before the caller hears "200".
      assert.equal(db.pragma('synchronous', { simple: true }), 1);
      assert.equal(typeof opened.walFd, 'number');
      assert.equal(fstatSync(opened.walFd!).ino, statSync(`${path}-wal`).ino);
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    } finally {
      opened.close();
    }
  });

  it('honours synchronous=NORMAL when asked: no fsync at all', () => {
    const opened = openSqlite({ path: join(tmpdir(), `userpool-open-${randomUUID()}.db`), synchronous: 'NORMAL' });
    try {
      assert.equal(opened.db.pragma('synchronous', { simple: true }), 1);
      assert.equal(opened.walFd, undefined);
    } finally {
      opened.close();
    }
  });

  it('creates indexes for every lookup: username, alias, sub, client id', () => {
    const opened = openSqlite({ path: join(tmpdir(), `userpool-open-${randomUUID()}.db`) });
    const { db } = opened;
    try {
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
      assert.match(plan("SELECT * FROM users WHERE pool_id = 'p' AND username_key = 'u'"), /USING (PRIMARY KEY|INDEX)/u);
      assert.match(plan("SELECT * FROM users WHERE pool_id = 'p' AND sub = 's'"), /USING INDEX users_by_sub/u);
      assert.match(plan("SELECT * FROM aliases WHERE pool_id = 'p' AND attribute = 'email' AND value_key = 'v'"), /USING (PRIMARY KEY|INDEX)/u);
      assert.match(plan("SELECT * FROM clients WHERE client_id = 'c'"), /USING (PRIMARY KEY|INDEX)/u);
      // ListUsers with Filter 'username = "…"' must not read every user of the pool.
      const byName = (db.prepare(`EXPLAIN QUERY PLAN ${filteredUserPage('username = ?')}`).all('p', '', 'u', 10) as { detail: string }[]).map((r) => r.detail).join(' | ');
      assert.match(byName, /USING INDEX users_by_username \(pool_id=\? AND username=\?\)/u);
    } finally {
      opened.close();
    }
  });
});

describe('the database file a server leaves behind', () => {
  let server: TestServer;
  let db: string;
  let generatedSecret: string;
  let code: string;

  before(async () => {
    db = tempDbPath();
    const config = join(dirname(db), 'config.yaml');
    writeFileSync(config, [
      'pools:',
      '  - id: us-east-1_Canary001',
      '    name: canary',
      '    settings: { AutoVerifiedAttributes: [email] }',
      '    clients:',
      '      - id: canaryclient00000000000001',
      '        name: fixed',
      `        secret: ${DECLARED_SECRET}`,
      '',
    ].join('\n'));
    // Debug logging is the most talkative level: nothing secret may reach it either.
    server = await startTestServer({ db, args: ['--config', config], env: { USERPOOL_LOG_LEVEL: 'debug' } });
    const { poolId, clientId } = await createPool(server.client());
    const secretClient = await server.client().send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'secret', GenerateSecret: true }));
    generatedSecret = secretClient.UserPoolClient!.ClientSecret!;
    await server.client().send(
      new SignUpCommand({ ClientId: clientId, Username: 'canary', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'canary@example.com' }] }),
    );
    code = await server.latestCode('canary');
  });
  after(() => server.stop());

  function leaks(bytes: Buffer): string[] {
    const text = bytes.toString('latin1');
    const found: string[] = [];
    if (text.includes(PASSWORD)) found.push('password');
    if (text.includes(generatedSecret)) found.push('generated client secret');
    if (text.includes(DECLARED_SECRET)) found.push('declared client secret');
    // Bounded by non-digits so that digits inside unrelated data cannot match by accident.
    if (new RegExp(`(?<![0-9])${code}(?![0-9])`, 'u').test(text)) found.push('confirmation code');
    return found;
  }

  it('holds no plaintext password, code or client secret, in the main file or the WAL', () => {
    const files = [db, `${db}-wal`].filter(existsSync);
    for (const file of files) assert.deepEqual(leaks(readFileSync(file)), [], file);
    // Control: the grep does see the data the sign-up wrote, so silence above means absence.
    assert.ok(files.some((file) => readFileSync(file).includes('canary@example.com')));
  });

  it('never logs the password, the code or a client secret', () => {
    assert.deepEqual(leaks(Buffer.from(server.output(), 'latin1')), []);
  });

  it('stores the password as an argon2id hash', () => {
    const reader = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const row = reader.prepare("SELECT password_hash FROM users WHERE username = 'canary'").get() as { password_hash: string };
      assert.match(row.password_hash, /^\$argon2id\$v=19\$/u);
    } finally {
      reader.close();
    }
  });

  it('is in WAL mode when opened read-only after the server stopped, and still holds no secrets', async () => {
    await server.stop();
    for (const file of [db, `${db}-wal`].filter(existsSync)) assert.deepEqual(leaks(readFileSync(file)), [], file);
    const reader = new Database(db, { readonly: true, fileMustExist: true });
    try {
      assert.equal(reader.pragma('journal_mode', { simple: true }), 'wal');
      const count = reader.prepare('SELECT count(*) AS n FROM users').get() as { n: number };
      assert.equal(count.n, 1);
    } finally {
      reader.close();
    }
  });
});
