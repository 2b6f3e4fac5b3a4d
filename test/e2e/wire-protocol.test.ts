/** @module AWS JSON 1.1 on the wire (spec §1): status codes, headers, envelopes, CORS, bad bodies, signatures. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { productionEnv, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const TARGET = 'AWSCognitoIdentityProviderService';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;
const EXPOSED = 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date';

interface Raw {
  status: number;
  headers: Headers;
  text: string;
}

/** Writes 64 KiB chunks of a chunked body until the server closes the socket or `chunks` are out. */
async function sendEndlessBody(url: string, target: string, chunks: number): Promise<{ sent: number; response: string }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let response = '';
  socket.on('data', (data: Buffer) => (response += data.toString('latin1')));
  // The cut shows up as ECONNRESET; it is the expected end, not a failure.
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(`POST / HTTP/1.1\r\nHost: ${hostname}\r\nX-Amz-Target: ${target}\r\nTransfer-Encoding: chunked\r\n\r\n`);
  const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(64 * 1024, 0x20), Buffer.from('\r\n')]);
  let sent = 0;
  for (let i = 0; i < chunks && !socket.destroyed; i++) {
    if (!socket.write(chunk)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
    sent += 64 * 1024;
  }
  socket.destroy();
  await closed;
  return { sent, response };
}

async function call(url: string, operation: string, body: unknown, headers: Record<string, string> = {}): Promise<Raw> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `${TARGET}.${operation}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Every error answer: exact two-member body, the typed header with its colon, the message header, a request id. */
function assertError(raw: Raw, status: number, type: string, message: string): void {
  assert.equal(raw.status, status, raw.text);
  assert.equal(raw.text, JSON.stringify({ __type: type, message }));
  assert.equal(raw.headers.get('content-type'), 'application/x-amz-json-1.1');
  assert.equal(raw.headers.get('x-amzn-errortype'), `${type}:`);
  assert.equal(raw.headers.get('x-amzn-errormessage'), message);
  assert.match(raw.headers.get('x-amzn-requestid') ?? '', UUID);
  assert.equal(raw.headers.get('access-control-allow-origin'), '*');
}

describe('wire: success and error envelopes', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  let secretClientId: string;

  before(async () => {
    server = await startTestServer();
    ({ poolId, clientId } = await createPool(server.client()));
    const secret = await call(server.url, 'CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'secret', GenerateSecret: true });
    secretClientId = (JSON.parse(secret.text) as { UserPoolClient: { ClientId: string } }).UserPoolClient.ClientId;
  });
  after(() => server.stop());

  it('answers success with 200, the AWS JSON content type, CORS headers and a uuid request id', async () => {
    const raw = await call(server.url, 'DescribeUserPool', { UserPoolId: poolId });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get('content-type'), 'application/x-amz-json-1.1');
    assert.match(raw.headers.get('x-amzn-requestid') ?? '', UUID);
    assert.equal(raw.headers.get('access-control-allow-origin'), '*');
    assert.equal(raw.headers.get('access-control-expose-headers'), EXPOSED);
    assert.equal(raw.headers.get('x-amzn-errortype'), null);
    assert.equal((JSON.parse(raw.text) as { UserPool: { Id: string } }).UserPool.Id, poolId);
  });

  it('gives every response its own request id, /health and the control API included', async () => {
    const a = await call(server.url, 'DescribeUserPool', { UserPoolId: poolId });
    const b = await call(server.url, 'DescribeUserPool', { UserPoolId: 'us-east-1_Missing00' });
    assert.notEqual(a.headers.get('x-amzn-requestid'), b.headers.get('x-amzn-requestid'));
    for (const path of ['/health', '/_userpool/outbox']) {
      assert.match((await fetch(`${server.url}${path}`)).headers.get('x-amzn-requestid') ?? '', UUID, path);
    }
  });

  it('answers a successful ConfirmSignUp with exactly {} (Content-Length 2)', async () => {
    await signUp(server.client(), clientId, 'wire-ok');
    const code = await server.latestCode('wire-ok');
    const raw = await call(server.url, 'ConfirmSignUp', { ClientId: clientId, Username: 'wire-ok', ConfirmationCode: code });
    assert.equal(raw.status, 200);
    assert.equal(raw.text, '{}');
    assert.equal(raw.headers.get('content-length'), '2');
    assert.equal(raw.headers.get('content-type'), 'application/x-amz-json-1.1');
    assert.match(raw.headers.get('x-amzn-requestid') ?? '', UUID);
  });

  it('answers client faults with 400, NotAuthorized, ResourceNotFound and UserNotFound included', async () => {
    assertError(
      await call(server.url, 'ConfirmSignUp', { ClientId: 'nosuchclient0000000000000a', Username: 'x', ConfirmationCode: '123456' }),
      400, 'ResourceNotFoundException', 'User pool client nosuchclient0000000000000a does not exist.',
    );
    assertError(
      await call(server.url, 'ConfirmSignUp', { ClientId: clientId, Username: 'nobody', ConfirmationCode: '123456' }),
      400, 'UserNotFoundException', 'Username/client id combination not found.',
    );
    assertError(
      await call(server.url, 'SignUp', { ClientId: secretClientId, Username: 'nohash', Password: PASSWORD }),
      400, 'NotAuthorizedException', `Unable to verify secret hash for client ${secretClientId}`,
    );
    assertError(
      await call(server.url, 'DescribeUserPool', { UserPoolId: 'us-east-1_Missing00' }),
      400, 'ResourceNotFoundException', 'User pool us-east-1_Missing00 does not exist.',
    );
  });

  it('answers an unknown target with UnknownOperationException', async () => {
    assertError(await call(server.url, 'NoSuchOperation', {}), 400, 'UnknownOperationException', 'Unknown operation.');
    const noTarget = await fetch(server.url, { method: 'POST', body: '{}' });
    assert.equal(noTarget.status, 400);
    assert.equal(((await noTarget.json()) as { __type: string }).__type, 'UnknownOperationException');
    const otherService = await fetch(server.url, { method: 'POST', headers: { 'X-Amz-Target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
    assert.equal(((await otherService.json()) as { __type: string }).__type, 'UnknownOperationException');
  });

  it('answers bodies that are not a JSON object with SerializationException 400', async () => {
    assertError(await call(server.url, 'ListUserPools', '{"MaxResults": 1'), 400, 'SerializationException', 'Request body is not valid JSON.');
    for (const body of ['[]', 'null', '"text"', '42']) {
      assertError(await call(server.url, 'ListUserPools', body), 400, 'SerializationException', 'Request body must be a JSON object.');
    }
  });

  it('answers an oversized body with 413 and keeps serving', async () => {
    const big = JSON.stringify({ PoolName: 'x'.repeat(1024 * 1024 + 10) });
    const raw = await call(server.url, 'CreateUserPool', big);
    assertError(raw, 413, 'SerializationException', 'Request body too large.');

    // Without a Content-Length the limit is enforced while streaming.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(128 * 1024).fill(0x20));
        controller.close();
      },
    });
    const streamed = await fetch(server.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': `${TARGET}.CreateUserPool` },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    await streamed.arrayBuffer();

    // A body that goes on and on is cut off rather than read for ever. A raw socket that ignores
    // the 413 and keeps writing shows how much the server took before closing the connection.
    const { sent, response } = await sendEndlessBody(server.url, `${TARGET}.CreateUserPool`, 2000);
    assert.match(response, /^HTTP\/1\.1 413 /u);
    assert.ok(sent < 32 * 1024 * 1024, `the server took ${sent} bytes before cutting the connection`);

    const after = await call(server.url, 'DescribeUserPool', { UserPoolId: poolId });
    assert.equal(after.status, 200);
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
  });

  it('still reads a body of exactly 1 MiB', async () => {
    // The limit is inclusive: a valid request padded with whitespace to 1 MiB is parsed, not refused.
    const body = JSON.stringify({ UserPoolId: poolId }).padEnd(1024 * 1024, ' ');
    assert.equal(Buffer.byteLength(body), 1024 * 1024);
    const raw = await call(server.url, 'DescribeUserPool', body);
    assert.equal(raw.status, 200, raw.text);
  });

  it('serves unsigned requests to no-auth operations and ignores a bogus SigV4 header', async () => {
    const unsigned = await call(server.url, 'SignUp', {
      ClientId: clientId, Username: 'unsigned', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'u@example.com' }],
    });
    assert.equal(unsigned.status, 200, unsigned.text);
    const bogus = {
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDBOGUS/20160101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000',
      'X-Amz-Date': '20160101T000000Z',
    };
    const signed = await call(server.url, 'SignUp', {
      ClientId: clientId, Username: 'bogus-signed', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'b@example.com' }],
    }, bogus);
    assert.equal(signed.status, 200, signed.text);
    const code = await server.latestCode('bogus-signed');
    const confirmed = await call(server.url, 'ConfirmSignUp', { ClientId: clientId, Username: 'bogus-signed', ConfirmationCode: code }, bogus);
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal(confirmed.text, '{}');
  });

  it('answers unknown paths and methods with an AWS-shaped 404 carrying a request id', async () => {
    const res = await fetch(`${server.url}/no/such/path`);
    assert.equal(res.status, 404);
    assert.equal(await res.text(), '{"__type":"UnknownOperationException","message":"Unknown operation."}');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID);
    assert.equal(res.headers.get('x-amzn-errortype'), 'UnknownOperationException:');
  });
});

describe('wire: no-auth operations in the production profile', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      args: ['--profile', 'production'],
      env: productionEnv(),
    });
  });
  after(() => server.stop());

  it('serves SignUp unsigned and with a SigV4 header nobody could verify', async () => {
    const { clientId } = await createPool(server.client());
    const body = (username: string) => ({ ClientId: clientId, Username: username, Password: PASSWORD });
    assert.equal((await call(server.url, 'SignUp', body('prod-unsigned'))).status, 200);
    const bogus = await call(server.url, 'SignUp', body('prod-bogus'), {
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDUNKNOWN/20160101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=' + '0'.repeat(64),
    });
    assert.equal(bogus.status, 200, bogus.text);
  });
});

describe('wire: CORS preflight', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  it('answers OPTIONS with 204 and the methods and headers a browser SDK sends', async () => {
    const res = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target' },
    });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-expose-headers'), EXPOSED);
    const methods = (res.headers.get('access-control-allow-methods') ?? '').split(/,\s*/u);
    assert.ok(methods.includes('POST') && methods.includes('OPTIONS'), methods.join());
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/u);
    for (const h of ['content-type', 'x-amz-target', 'x-amz-user-agent', 'authorization', 'amz-sdk-invocation-id', 'amz-sdk-request']) {
      assert.ok(allowed.includes(h), `${h} missing from ${allowed.join()}`);
    }
  });
});

describe('wire: WAF-like request rules (403) and modelled status codes', () => {
  let server: TestServer;
  let modelled: TestServer;
  const poolId = 'us-east-1_Blocked01';
  const clientId = 'blockedclient0000000000001';

  before(async () => {
    const db = tempDbPath();
    const config = join(dirname(db), 'pools.json');
    writeFileSync(config, JSON.stringify({
      pools: [{
        id: poolId,
        name: 'blocked',
        settings: { AutoVerifiedAttributes: ['email'] },
        requestRules: { defaultAction: 'allow', rules: [{ action: 'block', operations: ['ConfirmSignUp'] }] },
        clients: [{ id: clientId, name: 'web' }],
      }],
    }));
    server = await startTestServer({ db, args: ['--config', config] });
    modelled = await startTestServer({ args: ['--modelled-status-codes'] });
  });
  after(async () => {
    await server.stop();
    await modelled.stop();
  });

  it('answers a blocked operation with 403 ForbiddenException and lets others through', async () => {
    const up = await call(server.url, 'SignUp', {
      ClientId: clientId, Username: 'walled', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'w@example.com' }],
    });
    assert.equal(up.status, 200, up.text);
    const code = await server.latestCode('walled');
    assertError(
      await call(server.url, 'ConfirmSignUp', { ClientId: clientId, Username: 'walled', ConfirmationCode: code }),
      403, 'ForbiddenException', 'Request not allowed due to WAF block.',
    );
  });

  it('switches NotAuthorizedException to 403 and ResourceNotFound to 404 with --modelled-status-codes', async () => {
    const { poolId: pid } = await createPool(modelled.client());
    const secret = await call(modelled.url, 'CreateUserPoolClient', { UserPoolId: pid, ClientName: 's', GenerateSecret: true });
    const id = (JSON.parse(secret.text) as { UserPoolClient: { ClientId: string } }).UserPoolClient.ClientId;
    assertError(
      await call(modelled.url, 'SignUp', { ClientId: id, Username: 'm', Password: PASSWORD }),
      403, 'NotAuthorizedException', `Unable to verify secret hash for client ${id}`,
    );
    const missing = await call(modelled.url, 'DescribeUserPool', { UserPoolId: 'us-east-1_Missing00' });
    assert.equal(missing.status, 404);
    // Faults the model files under 400 keep it.
    assert.equal((await call(modelled.url, 'ListUserPools', '{')).status, 400);
  });
});

describe('wire: 500 only for a real internal fault', () => {
  let server: TestServer;
  // Always SQLite: the fault is made by editing the database file behind the server's back.
  before(async () => (server = await startTestServer({ db: tempDbPath() })));
  after(() => server.stop());

  it('never answers 500 to a barrage of malformed input', async () => {
    const bodies: [string, unknown][] = [
      ['SignUp', {}],
      ['SignUp', { ClientId: 5, Username: [], Password: {} }],
      ['SignUp', { ClientId: 'a'.repeat(5000), Username: '\u0000', Password: ' ' }],
      ['ConfirmSignUp', { ClientId: 'x', Username: 'y', ConfirmationCode: 'z', ClientMetadata: { a: { b: 1 } } }],
      ['CreateUserPool', { PoolName: 'p', Policies: 'strict' }],
      ['CreateUserPool', { PoolName: 'p', AutoVerifiedAttributes: ['fax'] }],
      ['ListUsers', { UserPoolId: 'us-east-1_abc', Limit: -1, Filter: 'email ^= ' }],
      ['ListUsers', { UserPoolId: 'us-east-1_abc', PaginationToken: '!!!not-a-token!!!' }],
      ['ListUserPools', { MaxResults: 1e308 }],
      ['AdminGetUser', { UserPoolId: '__proto__', Username: 'constructor' }],
      ['DescribeUserPoolClient', { UserPoolId: 'us-east-1_abc', ClientId: 'toString' }],
      ['ListUserPools', '{"__proto__": {"MaxResults": 1}, "MaxResults": 5}'],
      ['ListUserPools', '\uFEFF{}'],
      ['ListUserPools', '{"MaxResults": 5, "MaxResults": "5"}'],
    ];
    for (const [operation, body] of bodies) {
      const raw = await call(server.url, operation, body);
      assert.ok(raw.status >= 200 && raw.status < 500, `${operation} ${JSON.stringify(body).slice(0, 80)} → ${raw.status} ${raw.text}`);
      if (raw.status !== 200) assert.deepEqual(Object.keys(JSON.parse(raw.text) as object), ['__type', 'message']);
    }
  });

  it('answers InternalErrorException 500 when the database breaks under it, without leaking the cause', async () => {
    const { clientId } = await createPool(server.client());
    const outside = new Database(server.db);
    outside.exec('DROP TABLE users');
    outside.close();
    const raw = await call(server.url, 'SignUp', {
      ClientId: clientId, Username: 'broken', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'x@example.com' }],
    });
    assertError(raw, 500, 'InternalErrorException', 'Internal server error.');
    const requestId = raw.headers.get('x-amzn-requestid') ?? '';
    // The cause stays in the server's log, tied to the request id; the log pipe may lag the response.
    for (let i = 0; i < 100 && !server.output().includes(requestId); i++) await new Promise((r) => setTimeout(r, 50));
    const line = server.output().split('\n').find((l) => l.includes(requestId)) ?? '';
    assert.match(line, /no such table/u, 'the error log names the request id and the cause');
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
  });
});
