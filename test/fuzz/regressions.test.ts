/** @module Server errors the API fuzz found, each pinned as the 4xx (or success) Cognito gives instead. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminCreateUserCommand, DeleteUserPoolCommand, DescribeUserPoolCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { TARGET_PREFIX } from './arbitraries.ts';

async function call(url: string, operation: string, body: unknown): Promise<{ status: number; type?: string; message?: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `${TARGET_PREFIX}.${operation}` },
    body: JSON.stringify(body),
  });
  const parsed = (await res.json()) as { __type?: string; message?: string };
  return { status: res.status, type: parsed.__type, message: parsed.message };
}

/** What an SDK call ended in: its status and error name, so racing outcomes can be compared as data. */
async function outcome(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
    return '200';
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
    return `${e.$metadata?.httpStatusCode} ${e.name}`;
  }
}

describe('fuzz regressions', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('refuses a CreateUserPool Schema attribute without a Name (was a TypeError while describing it)', async () => {
    const r = await call(server.url, 'CreateUserPool', { PoolName: 'nameless', Schema: [{ AttributeDataType: 'String', Mutable: true }] });
    assert.deepEqual(r, { status: 400, type: 'InvalidParameterException', message: 'Every attribute in Schema must have a Name.' });
  });

  it('ignores creation-only settings sent to UpdateUserPool, which the model does not validate there', async () => {
    const { poolId, clientId } = await createPool(server.client());
    const junk = { UsernameAttributes: 42, AliasAttributes: 'email', Schema: 'x', UsernameConfiguration: [null] };
    assert.equal((await call(server.url, 'UpdateUserPool', { UserPoolId: poolId, AutoVerifiedAttributes: ['email'], ...junk })).status, 200);
    const pool = (await server.client().send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
    assert.equal(pool.UsernameAttributes, undefined);
    assert.equal(pool.AliasAttributes, undefined);
    assert.ok(pool.SchemaAttributes?.some((a) => a.Name === 'email'));
    const signUp = await server.client().send(
      new SignUpCommand({ ClientId: clientId, Username: 'after-update', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'after@example.com' }] }),
    );
    assert.equal(signUp.UserConfirmed, false);
  });

  // PostgreSQL text cannot hold U+0000, and its JSON operators fail on \u0000 and unpaired surrogate escapes:
  // each of these was a 500 there (and stored data that broke later filtered ListUsers calls on the pool).
  it('refuses attribute values with NUL or an unpaired surrogate, and finds nothing by a NUL', async () => {
    const { poolId, clientId } = await createPool(server.client());
    for (const [name, value] of [['email', 'a\u0000@example.com'], ['name', 'x\u0000y'], ['name', 'x\ud800y'], ['email', '\udfff@example.com']]) {
      const r = await call(server.url, 'SignUp', { ClientId: clientId, Username: 'odd', Password: PASSWORD, UserAttributes: [{ Name: name, Value: value }] });
      assert.deepEqual(r, {
        status: 400,
        type: 'InvalidParameterException',
        message: `Invalid value for attribute ${name}: NUL characters and unpaired surrogates are not allowed.`,
      });
    }
    const invited = await call(server.url, 'AdminCreateUser', { UserPoolId: poolId, Username: 'odd', UserAttributes: [{ Name: 'name', Value: '\u0000' }] });
    assert.equal(invited.type, 'InvalidParameterException');
    assert.deepEqual(await call(server.url, 'ListUsers', { UserPoolId: poolId, Filter: 'name = "\u0000"' }), { status: 200, type: undefined, message: undefined });
    const secret = await call(server.url, 'DeleteUserPoolClientSecret', { UserPoolId: poolId, ClientId: clientId, ClientSecretId: 'x\u0000' });
    assert.deepEqual(secret, { status: 400, type: 'ResourceNotFoundException', message: 'Client secret x\u0000 does not exist.' });
  });

  it('refuses pagination tokens this server could not have issued', async () => {
    const { poolId } = await createPool(server.client());
    const tokens = [Buffer.from('a\u0000b').toString('base64url'), Buffer.from([0xff, 0xfe]).toString('base64url'), 'QR'];
    for (const token of tokens) {
      for (const [operation, body] of [
        ['ListUserPools', { MaxResults: 5, NextToken: token }],
        ['ListUserPoolClients', { UserPoolId: poolId, NextToken: token }],
        ['ListUsers', { UserPoolId: poolId, PaginationToken: token }],
      ] as const) {
        assert.deepEqual(await call(server.url, operation, body), { status: 400, type: 'InvalidParameterException', message: 'Invalid pagination token.' }, `${operation} ${token}`);
      }
    }
  });

  it('answers a sign-up racing the deletion of its pool with ResourceNotFoundException, never a 500', async () => {
    const seen = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const { poolId, clientId } = await createPool(server.client());
      const sdk = server.client();
      // Both calls hash a password first; the pool goes while they do.
      const signUp = outcome(() =>
        sdk.send(new SignUpCommand({ ClientId: clientId, Username: `race-${round}`, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `r${round}@example.com` }] })),
      );
      const invite = outcome(() => sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `invited-${round}`, MessageAction: 'SUPPRESS' })));
      await new Promise((resolve) => setTimeout(resolve, round * 5));
      await sdk.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
      for (const result of await Promise.all([signUp, invite])) seen.add(result);
    }
    assert.deepEqual([...seen].filter((o) => o !== '200' && o !== '400 ResourceNotFoundException'), [], [...seen].join(', '));
    assert.doesNotMatch(server.output(), /FOREIGN KEY|foreign key/u);
  });
});
