/**
 * @module Losing PostgreSQL (issue 5 item 4): the server reaches the database through a TCP proxy
 * the test can cut. While cut, calls fail with InternalErrorException instead of hanging and
 * /health says 503; once restored, the same process serves again and nothing acknowledged is lost.
 */
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AdminGetUserCommand, ConfirmSignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects, userState } from '../helpers/cognito.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { freshSchema, postgresForTests, skipReason, type TestSchema } from '../helpers/postgres.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const what = 'PostgreSQL outage e2e (test/e2e/postgres-outage.test.ts)';
const base = await postgresForTests(what);

/** `stall`: a network partition, bytes stop flowing both ways; `reset`: connections are torn down and refused. */
type CutMode = 'stall' | 'reset';

interface CuttableProxy {
  port: number;
  cut(mode: CutMode): void;
  restore(): void;
  close(): Promise<void>;
}

async function startProxy(host: string, port: number): Promise<CuttableProxy> {
  let state: 'open' | CutMode = 'open';
  const live = new Set<{ near: Socket; far: Socket }>();
  const held = new Set<Socket>();
  const server: Server = createServer((near) => {
    near.on('error', () => {});
    if (state === 'reset') return void near.destroy();
    if (state === 'stall') return void held.add(near);
    const far = connect({ host, port });
    far.on('error', () => {});
    const pair = { near, far };
    live.add(pair);
    near.pipe(far);
    far.pipe(near);
    const drop = () => {
      live.delete(pair);
      near.destroy();
      far.destroy();
    };
    near.once('close', drop);
    far.once('close', drop);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const destroyAll = () => {
    for (const { near, far } of live) {
      near.destroy();
      far.destroy();
    }
    for (const socket of held) socket.destroy();
    held.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    cut(mode) {
      state = mode;
      if (mode === 'reset') return destroyAll();
      for (const { near, far } of live) {
        near.unpipe(far);
        far.unpipe(near);
        near.pause();
        far.pause();
      }
    },
    restore() {
      // Stalled connections carry half-delivered protocol state; the client has given up on them.
      destroyAll();
      state = 'open';
    },
    close: () => {
      destroyAll();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

const INTERNAL = { type: 'InternalErrorException', message: 'Internal server error.', status: 500 };

describe('PostgreSQL goes away and comes back', { skip: skipReason(base, what) }, () => {
  let schema: TestSchema | undefined;
  let proxy: CuttableProxy | undefined;
  let server: TestServer | undefined;
  let poolId: string;
  let clientId: string;

  before(async () => {
    schema = freshSchema(base!);
    const target = new URL(base!);
    proxy = await startProxy(target.hostname, Number(target.port || 5432));
    const through = new URL(schema.url);
    through.host = `127.0.0.1:${proxy.port}`;
    // A short bound keeps the test quick; the default (5 s) behaves the same, only slower.
    through.searchParams.set('timeout_ms', '1500');
    server = await startTestServer({ db: through.toString() });
    ({ poolId, clientId } = await createPool(server.client()));
  });
  after(async () => {
    await server?.stop();
    await proxy?.close();
    await schema?.drop();
  });

  const health = async () => {
    const res = await fetch(`${server!.url}/health`);
    return { status: res.status, body: await res.json() };
  };

  async function assertDown(): Promise<void> {
    const client = server!.client();
    await Promise.all([
      assertRejects(() => client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'kept' })), INTERNAL),
      assertRejects(() => client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'kept', ConfirmationCode: '123456' })), INTERNAL),
      assertRejects(() => signUp(client, clientId, 'during-outage'), INTERNAL),
    ]);
    assert.deepEqual(await health(), { status: 503, body: { status: 'unavailable' } });
  }

  async function assertRecovers(): Promise<void> {
    let last = await health();
    for (let i = 0; i < 40 && last.status !== 200; i++) {
      await new Promise((done) => setTimeout(done, 250));
      last = await health();
    }
    assert.deepEqual(last, { status: 200, body: { status: 'ok' } });
  }

  it('confirms a user while the database is there', async () => {
    await signUp(server!.client(), clientId, 'kept');
    await server!.client().send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'kept', ConfirmationCode: await server!.latestCode('kept') }));
    await signUp(server!.client(), clientId, 'later');
    assert.deepEqual(await health(), { status: 200, body: { status: 'ok' } });
  });

  for (const mode of ['stall', 'reset'] as const) {
    it(`answers InternalErrorException and 503 while the connection is cut (${mode}), then recovers by itself`, async () => {
      proxy!.cut(mode);
      await assertDown();
      assert.equal(server!.process.exitCode, null, 'the server died');
      proxy!.restore();
      await assertRecovers();
      const kept = await userState(server!.client(), poolId, 'kept');
      assert.equal(kept.status, 'CONFIRMED', 'a confirmation acknowledged before the outage was lost');
      assert.equal(kept.attributes.email_verified, 'true');
    });
  }

  it('serves the whole flow again after the outages, and never stored the refused sign-up', async () => {
    const client = server!.client();
    await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'later', ConfirmationCode: await server!.latestCode('later') }));
    assert.equal((await userState(client, poolId, 'later')).status, 'CONFIRMED');
    await assertRejects(() => client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'during-outage' })), {
      type: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    assert.equal(server!.process.exitCode, null);
  });
});
