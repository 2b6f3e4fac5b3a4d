/**
 * @module Graceful shutdown on SIGTERM / SIGINT: requests in flight are answered (with
 * `Connection: close`), kept-alive and stalled clients cannot hold the process, readiness turns
 * 503 while draining, and the drain is logged from start to end.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { functionArn } from '../fixtures/trigger-fixtures.ts';
import { writeConfig, writeModule } from '../helpers/cognito.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const POOL = 'us-east-1_Shutdown01';
const CLIENT = 'shutdownclient000000000000';

/** A pool whose PreSignUp trigger takes 1.5 s, so a SignUp can be in flight when the signal comes. */
function slowSignUpConfig(): string {
  const slow = writeModule('export async function handler(event) { await new Promise((r) => setTimeout(r, 1500)); return event; }');
  const arn = functionArn('slow');
  return writeConfig({
    functions: { [arn]: { module: slow } },
    pools: [{ id: POOL, name: 'shutdown', settings: { LambdaConfig: { PreSignUp: arn } }, clients: [{ id: CLIENT, name: 'c' }] }],
  });
}

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Resolves with what the socket received once the server closes it. */
function untilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
}

function exited(server: TestServer): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    if (server.process.exitCode !== null) resolve({ code: server.process.exitCode, ms: 0 });
    server.process.once('exit', (code) => resolve({ code, ms: Date.now() - started }));
  });
}

const signUpRequest = (username: string) => {
  const body = JSON.stringify({ ClientId: CLIENT, Username: username, Password: PASSWORD });
  return `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.SignUp\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

describe('graceful shutdown', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const server of servers) if (server.process.exitCode === null) await server.kill();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal}: an in-flight request is answered with Connection: close, an idle kept-alive socket is closed, the process exits 0`, async () => {
      const server = await startTestServer({ args: ['--config', slowSignUpConfig()] });
      servers.push(server);
      const idle = await openSocket(server.url);
      const idleClosed = untilClosed(idle);
      idle.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const busy = await openSocket(server.url);
      const busyAnswer = untilClosed(busy);
      busy.write(signUpRequest(`inflight-${signal}`));
      await new Promise((r) => setTimeout(r, 400));
      const exit = exited(server);
      server.process.kill(signal);

      const idleText = await idleClosed;
      assert.match(idleText, /^HTTP\/1\.1 200/u, 'the idle socket got its earlier answer and was then closed');
      const answer = await busyAnswer;
      assert.match(answer, /^HTTP\/1\.1 200/u, answer);
      assert.match(answer, /\r\nConnection: close\r\n/iu);
      const { code, ms } = await exit;
      assert.equal(code, 0);
      assert.ok(ms < 5000, `exited ${ms} ms after the signal`);
      assert.match(server.output(), /"msg":"userpool draining"/u);
      assert.match(server.output(), /"inFlight":1,"forced":0,"ms":\d+,"msg":"userpool stopped"/u);
    });
  }

  test('a stalled client cannot hold the process past --drain-timeout', async () => {
    const server = await startTestServer({ args: ['--drain-timeout', '1'] });
    servers.push(server);
    const stalled = await openSocket(server.url);
    const closed = untilClosed(stalled);
    stalled.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"Max');
    await new Promise((r) => setTimeout(r, 200));
    const exit = exited(server);
    server.process.kill('SIGTERM');
    const { code, ms } = await exit;
    await closed;
    assert.equal(code, 0);
    assert.ok(ms >= 900 && ms < 4000, `exited ${ms} ms after the signal`);
    assert.match(server.output(), /"forced":1,/u);
  });

  test('readiness is 503 "draining" for a request that arrives during the drain; liveness and readiness are 200 before', async () => {
    const server = await startTestServer({ args: ['--config', slowSignUpConfig()] });
    servers.push(server);
    assert.deepEqual(await (await fetch(`${server.url}/health/ready`)).json(), { status: 'ready' });
    assert.deepEqual(await (await fetch(`${server.url}/health/live`)).json(), { status: 'live' });
    assert.deepEqual(await (await fetch(`${server.url}/health`)).json(), { status: 'ok' });
    const busy = await openSocket(server.url);
    const busyAnswer = untilClosed(busy);
    busy.write(signUpRequest('keeps-it-draining'));
    // Headers begun before the signal and finished after it: the request is read during the drain.
    const late = await openSocket(server.url);
    const lateAnswer = untilClosed(late);
    late.write('GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((r) => setTimeout(r, 300));
    const exit = exited(server);
    server.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    late.write('\r\n');
    const text = await lateAnswer;
    assert.match(text, /^HTTP\/1\.1 503/u, text);
    assert.match(text, /\r\nConnection: close\r\n/iu);
    assert.ok(text.endsWith('{"status":"draining"}'), text);
    assert.match(await busyAnswer, /^HTTP\/1\.1 200/u);
    assert.equal((await exit).code, 0);
  });

  test('a database behind this version\'s migrations is live but not ready', { skip: process.env.USERPOOL_TEST_DB ? 'edits the SQLite file' : false }, async () => {
    const server = await startTestServer();
    servers.push(server);
    // As if another instance had rolled the schema back, or this build were newer than the database.
    const db = new Database(server.db);
    db.prepare('DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)').run();
    db.close();
    const ready = await fetch(`${server.url}/health/ready`);
    assert.deepEqual({ status: ready.status, body: await ready.json() }, { status: 503, body: { status: 'migrations pending' } });
    assert.equal((await fetch(`${server.url}/health/live`)).status, 200);
    assert.equal((await fetch(`${server.url}/health`)).status, 200, '/health keeps its old meaning: the store answers');
    await server.stop();
  });
});
