/**
 * @module Requests that once took the server down or broke its clients: request-targets the URL
 * parser rejects, JSON nulls in optional members, error headers as long as the input, connections
 * without end and bodies that never finish.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createPool } from '../helpers/fixtures.ts';
import { callFrom, rawExchange } from '../helpers/raw-http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const BAD_TARGETS = ['http://[::1', '//[', 'http://a:b:c/', 'http://%zz/', '//a:99999/', 'http://[/'];

async function healthy(server: TestServer): Promise<void> {
  assert.equal(server.process.exitCode, null, `the server exited:\n${server.output()}`);
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
}

describe('one request cannot stop the server', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  for (const target of BAD_TARGETS) {
    test(`GET ${target} is answered 400 and the server stays up`, async () => {
      for (const method of ['GET', 'POST']) {
        const answer = await rawExchange(server.url, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        assert.equal(answer.status, 400, answer.text);
        const body = JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
        assert.deepEqual(body, { __type: 'BadRequestException', message: 'The request-target is not a valid URL.' });
        assert.match(answer.text, /\r\nx-amzn-RequestId: [0-9a-f-]{36}\r\n/iu);
      }
      await healthy(server);
    });
  }
});

describe('JSON null in a member is the member left out (as AWS JSON services read it)', () => {
  let server: TestServer;
  let clientId: string;
  let poolId: string;
  before(async () => {
    server = await startTestServer();
    ({ poolId, clientId } = await createPool(server.client()));
  });
  after(() => server.stop());

  const call = (operation: string, input: unknown) => callFrom(server.url, operation, input);

  test('optional members: the call succeeds as if they were absent', async () => {
    for (const [operation, input] of [
      ['ListUsers', () => ({ UserPoolId: poolId, Filter: null, PaginationToken: null, Limit: null, AttributesToGet: null })],
      ['ListUserPools', () => ({ MaxResults: 10, NextToken: null })],
      ['ListUserPoolClients', () => ({ UserPoolId: poolId, NextToken: null })],
    ] as const) {
      const answer = await call(operation, input());
      assert.equal(answer.status, 200, `${operation}: ${JSON.stringify(answer.body)}`);
    }
  });

  test('SignUp with Password null is judged as SignUp without a password', async () => {
    const withNull = await call('SignUp', { ClientId: clientId, Username: 'nullpw', Password: null, UserAttributes: [{ Name: 'email', Value: 'n@example.com' }] });
    const absent = await call('SignUp', { ClientId: clientId, Username: 'nopw', UserAttributes: [{ Name: 'email', Value: 'm@example.com' }] });
    assert.ok(withNull.status < 500, JSON.stringify(withNull.body));
    assert.deepEqual({ status: withNull.status, type: withNull.body.__type }, { status: absent.status, type: absent.body.__type });
  });

  test('AdminCreateUser with TemporaryPassword null generates one, as when it is absent', async () => {
    const answer = await call('AdminCreateUser', { UserPoolId: poolId, Username: 'invitee', TemporaryPassword: null, MessageAction: 'SUPPRESS' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal((answer.body.User as { UserStatus: string }).UserStatus, 'FORCE_CHANGE_PASSWORD');
  });

  test('a required member sent as null fails validation like a missing one', async () => {
    const answer = await call('ConfirmSignUp', { ClientId: clientId, Username: null, ConfirmationCode: '123456' });
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.body, {
      __type: 'InvalidParameterException',
      message: "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
    });
  });

  test('null nested inside structures and lists is handled too', async () => {
    const nested = await call('SignUp', { ClientId: clientId, Username: 'nested', Password: 'Correct-Horse-9', UserAttributes: [{ Name: 'email', Value: null }], ValidationData: null, UserContextData: { IpAddress: null } });
    assert.ok(nested.status < 500 && typeof nested.body.__type === 'string', JSON.stringify(nested.body));
    const hole = await call('SignUp', { ClientId: clientId, Username: 'hole', Password: 'Correct-Horse-9', UserAttributes: [null] });
    assert.equal(hole.status, 400, JSON.stringify(hole.body));
    const top = await call('ListUserPools', 'null');
    assert.deepEqual({ status: top.status, type: top.body.__type }, { status: 400, type: 'SerializationException' });
  });
});

describe('error headers stay small when the message echoes a huge value', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  test('a 900 KiB ClientId: the header is cut to 1 KiB, the body keeps the whole message', async () => {
    const huge = 'a'.repeat(900 * 1024);
    const answer = await callFrom(server.url, 'ConfirmSignUp', { ClientId: huge, Username: 'u', ConfirmationCode: '123456' });
    assert.equal(answer.status, 400);
    const header = String(answer.headers['x-amzn-errormessage']);
    assert.ok(header.length <= 1024, `header is ${header.length} characters`);
    assert.ok(header.endsWith('...'));
    assert.ok(String(answer.body.message).includes(huge), 'the body carries the full message');
    assert.ok(String(answer.body.message).startsWith(header.slice(0, -3)));
  });
});

describe('connection hygiene: a cap on connections and a deadline for slow requests', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ args: ['--max-connections', '4', '--request-timeout', '2'] })));
  after(() => server.stop());

  const open = () =>
    new Promise<import('node:net').Socket>((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const socket = connect(Number(port), hostname, () => resolve(socket));
      socket.on('error', reject);
    });

  test('connections past --max-connections are closed at once; a freed slot is usable again', async () => {
    const held = await Promise.all([open(), open(), open(), open()]);
    // Let the server accept all four before the fifth knocks.
    await new Promise((r) => setTimeout(r, 100));
    const refused = await rawExchange(server.url, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 1500);
    assert.deepEqual({ closed: refused.closed, status: refused.status }, { closed: true, status: undefined });
    held[0]!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const answered = await rawExchange(server.url, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    assert.equal(answered.status, 200, answered.text);
    for (const socket of held) socket.destroy();
    await new Promise((r) => setTimeout(r, 300));
  });

  test('a body that trickles in is cut off after --request-timeout (408), not held for minutes', async () => {
    const started = Date.now();
    const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\nContent-Length: 100\r\n\r\n{"MaxRes`;
    const answer = await rawExchange(server.url, head, 10_000);
    const elapsed = Date.now() - started;
    assert.equal(answer.closed, true, 'the server closed the connection');
    assert.ok(elapsed < 6000, `closed after ${elapsed} ms`);
    assert.ok(elapsed >= 1500, `closed after only ${elapsed} ms`);
    assert.ok(answer.status === 408 || answer.status === undefined, answer.text);
    await healthy(server);
  });

  test('headers that never finish are cut off the same way', async () => {
    const started = Date.now();
    const answer = await rawExchange(server.url, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 10_000);
    const elapsed = Date.now() - started;
    assert.equal(answer.closed, true);
    assert.ok(elapsed < 6000 && elapsed >= 1500, `closed after ${elapsed} ms`);
  });
});

describe('the /confirmUser page cannot be framed, sniffed, cached or leak its link', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  test('security headers on its answers', async () => {
    for (const query of ['', '?client_id=x&user_name=u&confirmation_code=123456']) {
      const res = await fetch(`${server.url}/confirmUser${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    }
  });
});
