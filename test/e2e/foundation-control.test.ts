/** @module The local profile's control API (/_userpool/outbox, reset, clock), /health, and its absence in production. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, DescribeUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, rejection, signUp } from '../helpers/fixtures.ts';
import { productionEnv, startTestServer, type TestServer } from '../helpers/server.ts';

describe('control API (local profile)', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  it('GET /health answers 200', async () => {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('GET /_userpool/outbox lists every message, and ?username= filters', async () => {
    const { poolId, clientId } = await createPool(server.client());
    await signUp(server.client(), clientId, 'ann', 'ann@example.com');
    await signUp(server.client(), clientId, 'ben', 'ben@example.com');
    const res = await fetch(`${server.url}/_userpool/outbox`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/u);
    const all = ((await res.json()) as { messages: Record<string, unknown>[] }).messages;
    assert.deepEqual(all.map((m) => m.username).sort(), ['ann', 'ben']);
    const ann = all.find((m) => m.username === 'ann')!;
    assert.equal(ann.poolId, poolId);
    assert.equal(ann.medium, 'EMAIL');
    assert.equal(ann.destination, 'ann@example.com');
    assert.equal(ann.subject, 'Your verification code');
    assert.match(String(ann.code), /^\d{6}$/u);
    assert.equal(ann.body, `Your verification code is ${String(ann.code)}. `);
    assert.ok(!Number.isNaN(Date.parse(String(ann.time))));

    const only = await server.outbox('ben');
    assert.deepEqual(only.map((m) => m.username), ['ben']);
    assert.deepEqual(await server.outbox('nobody'), []);
  });

  it('POST /_userpool/clock moves time: a code is good for 24 hours and expires after', async () => {
    const { clientId } = await createPool(server.client());
    await signUp(server.client(), clientId, 'early');
    await signUp(server.client(), clientId, 'late');
    await server.advanceClock(86_000);
    await server.client().send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'early', ConfirmationCode: await server.latestCode('early') }));
    await server.advanceClock(401);
    const code = await server.latestCode('late');
    const error = await rejection(() => server.client().send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'late', ConfirmationCode: code })));
    assert.equal(error.name, 'ExpiredCodeException');
    assert.equal(error.message, 'Invalid code provided, please request a code again.');
    assert.equal(error.$metadata?.httpStatusCode, 400);
  });

  it('POST /_userpool/clock refuses a body without a usable advanceSeconds', async () => {
    for (const body of ['{"advanceSeconds":"soon"}', '{"advanceSeconds":-5}', 'not json', '{}', 'null']) {
      const res = await fetch(`${server.url}/_userpool/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      assert.equal(res.status, 400, body);
    }
  });

  it('POST /_userpool/reset wipes pools, clients, users and the outbox, and resets the clock', async () => {
    const { poolId } = await createPool(server.client());
    await server.advanceClock(1000);
    const res = await fetch(`${server.url}/_userpool/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 200);
    const pools = await server.client().send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.deepEqual(pools.UserPools, []);
    const error = await rejection(() => server.client().send(new DescribeUserPoolCommand({ UserPoolId: poolId })));
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.deepEqual(await server.outbox(), []);
    const clock = (await (await fetch(`${server.url}/_userpool/clock`)).json()) as { now: string };
    assert.ok(Math.abs(Date.parse(clock.now) - Date.now()) < 60_000, `clock still advanced: ${clock.now}`);
    // The server keeps working after a reset.
    const { clientId } = await createPool(server.client());
    await signUp(server.client(), clientId, 'after-reset');
    assert.equal((await server.outbox('after-reset')).length, 1);
  });
});

describe('control API (production profile)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      args: ['--profile', 'production'],
      env: productionEnv(),
    });
  });
  after(() => server.stop());

  it('answers 404 under /_userpool/ while the API and /health work', async () => {
    for (const [method, path] of [['GET', '/_userpool/outbox'], ['POST', '/_userpool/reset'], ['POST', '/_userpool/clock'], ['GET', '/_userpool/clock']]) {
      const res = await fetch(`${server.url}${path}`, { method, ...(method === 'POST' ? { body: '{"advanceSeconds":86401}' } : {}) });
      assert.equal(res.status, 404, `${method} ${path}`);
    }
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
    const { clientId } = await createPool(server.client());
    const out = await signUp(server.client(), clientId, 'prod-user');
    assert.equal(out.UserConfirmed, false);
  });

  it('refuses admin operations signed with unknown or wrong keys, with the AWS error types', async () => {
    const signedWith = (accessKeyId: string, secretAccessKey: string) =>
      new CognitoIdentityProviderClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
    const unknown = await rejection(() => signedWith('AKIDSTRANGER', 'whatever').send(new ListUserPoolsCommand({ MaxResults: 10 })));
    assert.equal(unknown.name, 'UnrecognizedClientException');
    assert.equal(unknown.message, 'The security token included in the request is invalid.');
    const wrong = await rejection(() => signedWith('AKIDEXAMPLE', 'not-the-secret').send(new ListUserPoolsCommand({ MaxResults: 10 })));
    assert.equal(wrong.name, 'InvalidSignatureException');
    const unsigned = await fetch(server.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.ListUserPools' },
      body: '{"MaxResults":10}',
    });
    assert.equal(unsigned.status, 403);
    assert.equal(((await unsigned.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');
  });
});
