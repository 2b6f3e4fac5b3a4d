/**
 * @module Caller addresses behind proxies and per-address limits: X-Forwarded-For is believed only
 * as far as trusted proxies wrote it, and one address cannot spend the quota everyone shares.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { callFrom } from '../helpers/raw-http.ts';
import { productionEnv, startTestServer, type TestServer } from '../helpers/server.ts';
import { writeConfig } from '../helpers/cognito.ts';
import { PASSWORD } from '../helpers/fixtures.ts';

const POOL = 'us-east-1_ProxyTest1';
const CLIENT = 'proxytestclient00000000000';
const BLOCKED = '198.51.100.7';

/** A pool whose request rules block one address, and a per-address limit of 5 requests a second. */
function proxyConfig() {
  return writeConfig({
    perAddressRps: 5,
    pools: [{ id: POOL, name: 'proxy', clients: [{ id: CLIENT, name: 'c' }], requestRules: { defaultAction: 'allow', rules: [{ action: 'block', cidrs: [`${BLOCKED}/32`] }] } }],
  });
}

const ghost = (server: TestServer, forwardedFor: string) =>
  callFrom(server.url, 'ConfirmSignUp', { ClientId: CLIENT, Username: 'ghost', ConfirmationCode: '123456' }, { headers: { 'X-Forwarded-For': forwardedFor } });

for (const [label, trust] of [
  ['one trusted hop (--trust-proxy)', []],
  ['trusted proxy CIDRs (--trust-proxy 127.0.0.0/8,10.0.0.0/8)', ['127.0.0.0/8,10.0.0.0/8']],
] as const) {
  describe(`X-Forwarded-For with ${label}`, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer({ args: ['--config', proxyConfig(), '--trust-proxy', ...trust] })));
    after(() => server.stop());

    test('a blocked client cannot pass the block rule by writing another address first', async () => {
      const spoofed = await ghost(server, `203.0.113.9, ${BLOCKED}`);
      assert.deepEqual({ status: spoofed.status, type: spoofed.body.__type }, { status: 403, type: 'ForbiddenException' });
      const honest = await ghost(server, BLOCKED);
      assert.equal(honest.status, 403);
    });

    test('changing the first entry does not get a fresh per-address bucket', async () => {
      const answers = [];
      for (let i = 0; i < 50; i++) answers.push(await ghost(server, `203.0.113.${i}, 192.0.2.44`));
      const limited = answers.filter((a) => a.body.__type === 'TooManyRequestsException').length;
      assert.ok(limited >= 40, `${limited} of 50 calls were limited`);
    });
  });
}

describe('X-Forwarded-For with CIDRs: hops inside the trusted ranges are skipped', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ args: ['--config', proxyConfig(), '--trust-proxy', '127.0.0.0/8,10.0.0.0/8'] })));
  after(() => server.stop());

  test('client, then two of our proxies: the client is the caller', async () => {
    const answer = await ghost(server, `${BLOCKED}, 10.1.2.3`);
    assert.equal(answer.status, 403);
    const other = await ghost(server, '203.0.113.50, 10.1.2.3');
    assert.equal(other.body.__type, 'UserNotFoundException');
  });
});

describe('without --trust-proxy the header is ignored', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ args: ['--config', proxyConfig()] })));
  after(() => server.stop());

  test('a client cannot claim a blocked or any other address', async () => {
    assert.equal((await ghost(server, BLOCKED)).body.__type, 'UserNotFoundException');
  });
});

describe('production: per-address limits keep sign-up open while one address floods it', () => {
  let server: TestServer;
  before(async () => {
    const config = writeConfig({ pools: [{ id: POOL, name: 'prod', clients: [{ id: CLIENT, name: 'c' }] }] });
    server = await startTestServer({ args: ['--profile', 'production', '--config', config], env: productionEnv() });
  });
  after(() => server.stop());

  test('a 4-connection flood from 127.0.0.2 for 3 s; 21 SignUps from other addresses all succeed', async () => {
    const signUp = (username: string, localAddress: string) =>
      callFrom(server.url, 'SignUp', { ClientId: CLIENT, Username: username, Password: PASSWORD }, { localAddress });
    const until = Date.now() + 3000;
    let n = 0;
    const flood = Array.from({ length: 4 }, async () => {
      const types: string[] = [];
      while (Date.now() < until) types.push(String((await signUp(`flood${n++}`, '127.0.0.2')).body.__type ?? 'ok'));
      return types;
    });
    await new Promise((r) => setTimeout(r, 500));
    const legitimate = [];
    for (let i = 0; i < 21; i++) {
      legitimate.push(signUp(`user${i}`, `127.0.0.${10 + i}`));
      await new Promise((r) => setTimeout(r, 100));
    }
    const answers = await Promise.all(legitimate);
    const flooded = (await Promise.all(flood)).flat();
    assert.deepEqual(answers.map((a) => a.status), Array(21).fill(200), JSON.stringify(answers.filter((a) => a.status !== 200).map((a) => a.body)));
    assert.ok(flooded.filter((t) => t === 'TooManyRequestsException').length > 0, 'the flood was limited');
    // The address bucket holds 10 and refills 10 a second: at most 10 + 10 × 3.5 s pass, however hard it floods.
    assert.ok(flooded.filter((t) => t === 'ok').length <= 45, `the flood got ${flooded.filter((t) => t === 'ok').length} sign-ups through`);
    assert.ok(flooded.length > 100, `the flood sent only ${flooded.length} requests`);
  });
});
