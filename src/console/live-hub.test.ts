/**
 * @module The live view's hub over a real SQLite store and a real HTTP server: heartbeats, an
 * `outbox` event for every listener and a `users` event only for those watching that pool, no
 * reads once nobody listens, and streams ended (new ones refused) on close.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PoolRecord, UserRecord } from '../domain/records.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { LiveHub } from './live-hub.ts';

const pool = (id: string) => ({ id, name: id, settings: {}, limits: {}, createdAt: 1, updatedAt: 1 }) as unknown as PoolRecord;
const user = (poolId: string, username: string) =>
  ({ poolId, username, usernameKey: username, sub: `${username}-sub`, status: 'UNCONFIRMED', enabled: true, attributes: {}, passwordHash: null, createdAt: 2, updatedAt: 2 }) as unknown as UserRecord;

/** A stream's text as it arrives, and a way to wait for a pattern in it. */
async function listen(url: string) {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      ended = true;
    } catch {
      // aborted by the test
    }
  })();
  const waitFor = async (pattern: RegExp, ms = 3000) => {
    const end = Date.now() + ms;
    while (!pattern.test(text)) {
      if (Date.now() > end) throw new Error(`no ${pattern} in:\n${text}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { res, text: () => text, ended: () => ended, waitFor, stop: async () => (abort.abort(), await pump) };
}

describe('live hub', () => {
  let dir: string;
  let store: Store;
  let hub: LiveHub;
  let server: Server;
  let url: string;
  let reads = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'userpool-live-'));
    store = await openSqliteStore({ path: join(dir, 'live.db') });
    const counted = {
      outboxWatermark: () => (reads++, store.outboxWatermark()),
      usersWatermark: (poolId: string) => store.usersWatermark(poolId),
    };
    hub = new LiveHub(counted, { pollMs: 20, heartbeatMs: 60 });
    server = createServer((req, res) => void hub.open(res, new URL(req.url!, 'http://x').searchParams.getAll('pool')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await store.createUserPool(pool('p1'));
    await store.createUserPool(pool('p2'));
  });
  after(async () => {
    hub.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends heartbeats, outbox events to all and users events to the watchers of that pool', async () => {
    const all = await listen(url);
    const p1 = await listen(`${url}?pool=p1`);
    assert.match(all.res.headers.get('content-type') ?? '', /^text\/event-stream/u);
    await all.waitFor(/: live/u);
    await p1.waitFor(/: live/u);
    await all.waitFor(/: heartbeat/u);
    assert.doesNotMatch(all.text(), /event:/u, 'an event was sent with nothing changed');

    await store.insertUser({ user: user('p1', 'ann'), aliases: [], messages: [{ poolId: 'p1', username: 'ann', medium: 'EMAIL', destination: 'a@example.com', sealedPayload: 'x', createdAt: 3 }] });
    await all.waitFor(/event: outbox\ndata: \{\}/u);
    await p1.waitFor(/event: outbox/u);
    await p1.waitFor(/event: users\ndata: \{"poolId":"p1"\}/u);
    await store.insertUser({ user: user('p2', 'bob'), aliases: [], messages: [] });
    await new Promise((r) => setTimeout(r, 100));
    assert.doesNotMatch(p1.text(), /"poolId":"p2"/u, 'a users event for a pool this page does not show');
    assert.doesNotMatch(all.text(), /event: users/u);

    await all.stop();
    await p1.stop();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(hub.listeners, 0);
    const before = reads;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(reads, before, 'the hub kept reading the store with nobody listening');
  });

  it('close ends every stream and refuses new ones', async () => {
    const one = await listen(url);
    await one.waitFor(/: live/u);
    hub.close();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(one.ended(), true, 'the stream was not ended');
    const refused = await fetch(url);
    assert.equal(refused.status, 503);
    await refused.text();
  });
});
