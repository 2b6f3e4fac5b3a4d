/**
 * @module ConfirmSignUp on the wire (spec §1): raw HTTP for bodies and headers, and the HTTP status
 * codes, observed by default and modelled behind --modelled-status-codes (spec §1.1).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfirmSignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects, userState, writeConfig } from '../helpers/cognito.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.ConfirmSignUp',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('ConfirmSignUp wire format (spec §1)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let pool: { poolId: string; clientId: string };

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    pool = await createPool(idp);
  });
  after(() => server.stop());

  test('success: 200, the JSON 1.1 content type, body "{}" of 2 bytes, a request id and CORS headers', async () => {
    await signUp(idp, pool.clientId, 'wire-ok');
    const res = await post(server.url, { ClientId: pool.clientId, Username: 'wire-ok', ConfirmationCode: await server.latestCode('wire-ok') });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{}');
    assert.equal(res.headers.get('content-type'), 'application/x-amz-json-1.1');
    assert.equal(res.headers.get('content-length'), '2');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('access-control-expose-headers'), 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date');
  });

  test('error: the exact 97-byte ExpiredCodeException body and the x-amzn-Error* headers', async () => {
    const quiet = await createPool(idp, { AutoVerifiedAttributes: [] });
    await signUp(idp, quiet.clientId, 'wire-expired');
    const res = await post(server.url, { ClientId: quiet.clientId, Username: 'wire-expired', ConfirmationCode: '123456' });
    const body = await res.text();
    assert.equal(res.status, 400);
    assert.equal(body, '{"__type":"ExpiredCodeException","message":"Invalid code provided, please request a code again."}');
    assert.equal(Buffer.byteLength(body), 97);
    assert.equal(res.headers.get('content-length'), '97');
    assert.equal(res.headers.get('x-amzn-errortype'), 'ExpiredCodeException:');
    assert.equal(res.headers.get('x-amzn-errormessage'), 'Invalid code provided, please request a code again.');
    assert.match(res.headers.get('x-amzn-requestid') ?? '', UUID);
  });

  test('each response has its own request id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await post(server.url, { ClientId: pool.clientId, Username: 'wire-nobody', ConfirmationCode: '123456' });
      await res.text();
      ids.add(res.headers.get('x-amzn-requestid') ?? '');
    }
    assert.equal(ids.size, 3);
  });

  test('a SigV4 Authorization header is ignored, not rejected (the operation is unauthenticated)', async () => {
    await signUp(idp, pool.clientId, 'wire-signed');
    const res = await post(
      server.url,
      { ClientId: pool.clientId, Username: 'wire-signed', ConfirmationCode: await server.latestCode('wire-signed') },
      { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20160101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00' },
    );
    assert.equal(res.status, 200);
    assert.equal((await userState(idp, pool.poolId, 'wire-signed')).status, 'CONFIRMED');
  });

  test('unknown members are ignored', async () => {
    await signUp(idp, pool.clientId, 'wire-extra');
    const res = await post(server.url, {
      ClientId: pool.clientId, Username: 'wire-extra', ConfirmationCode: await server.latestCode('wire-extra'), SomethingNew: { nested: true },
    });
    assert.equal(res.status, 200);
  });

  test('a missing required member is a shape error naming it', async () => {
    const res = await post(server.url, { ClientId: pool.clientId, Username: 'wire-missing' });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      __type: 'InvalidParameterException',
      message: "1 validation error detected: Value null at 'confirmationCode' failed to satisfy constraint: Member must not be null",
    });
  });

  test('a body that is not JSON is a SerializationException', async () => {
    const res = await post(server.url, '{"ClientId":');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { __type: string }).__type, 'SerializationException');
  });

  test('the CORS pre-flight is answered', async () => {
    const res = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target,x-amz-user-agent' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
    for (const h of ['content-type', 'x-amz-target', 'x-amz-user-agent']) assert.ok(allowed.includes(h), h);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/u);
  });

  test('observed status codes by default: NotAuthorized, UserNotFound and ResourceNotFound are 400', async () => {
    await assertRejects(() => idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'wire-nobody', ConfirmationCode: '1' })), {
      type: 'UserNotFoundException',
      message: 'Username/client id combination not found.',
    });
    await assertRejects(() => idp.send(new ConfirmSignUpCommand({ ClientId: 'unknownclient0000000000000', Username: 'x', ConfirmationCode: '1' })), {
      type: 'ResourceNotFoundException',
      message: 'User pool client unknownclient0000000000000 does not exist.',
    });
  });
});

describe('--modelled-status-codes (spec §1.1)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let pool: { poolId: string; clientId: string };
  const WAF_CLIENT = 'modelledwafclient000000000';

  before(async () => {
    const config = writeConfig({
      quotas: { UserCreation: 1 },
      pools: [
        {
          id: 'us-east-1_ModelWaf01',
          name: 'waf',
          requestRules: { rules: [], defaultAction: 'block' },
          clients: [{ id: WAF_CLIENT, name: 'c' }],
        },
      ],
    });
    server = await startTestServer({ args: ['--modelled-status-codes', '--config', config] });
    idp = server.client();
    pool = await createPool(idp, {}, { GenerateSecret: true });
  });
  after(() => server.stop());

  const confirm = (input: { ClientId: string; Username: string; ConfirmationCode: string; SecretHash?: string }) => idp.send(new ConfirmSignUpCommand(input));

  test('NotAuthorizedException 403, ResourceNotFoundException 404, ForbiddenException 403', async () => {
    await assertRejects(() => confirm({ ClientId: pool.clientId, Username: 'x', ConfirmationCode: '1' }), {
      type: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${pool.clientId}`,
      status: 403,
    });
    await assertRejects(() => confirm({ ClientId: 'unknownclient0000000000000', Username: 'x', ConfirmationCode: '1' }), {
      type: 'ResourceNotFoundException',
      message: 'User pool client unknownclient0000000000000 does not exist.',
      status: 404,
    });
    await assertRejects(() => confirm({ ClientId: WAF_CLIENT, Username: 'x', ConfirmationCode: '1' }), {
      type: 'ForbiddenException',
      message: 'Request not allowed due to WAF block.',
      status: 403,
    });
  });

  test('UserNotFoundException 404 and TooManyRequestsException 429', async () => {
    const open = await createPool(idp);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => confirm({ ClientId: open.clientId, Username: 'x', ConfirmationCode: '1' })));
    const statuses = new Map<string, number>();
    for (const r of results) {
      const error = (r as PromiseRejectedResult).reason as Error & { $metadata: { httpStatusCode: number } };
      statuses.set(error.name, error.$metadata.httpStatusCode);
    }
    assert.equal(statuses.get('TooManyRequestsException'), 429);
    assert.equal(statuses.get('UserNotFoundException'), 404);
  });
});
