/** @module User pools and app clients through the real SDK: ids, ARNs, timestamps, settings, paging, deletion. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { rejection } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const POOL_ID = /^us-east-1_[0-9A-Za-z]{9}$/u;
const CLIENT_ID = /^[a-z0-9]{26}$/u;
/** Epoch seconds with at most a millisecond fraction, not milliseconds. */
const EPOCH_SECONDS = /^1\d{9}(\.\d{1,3})?$/u;

async function raw(url: string, operation: string, body: unknown): Promise<Record<string, any>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, operation);
  return (await res.json()) as Record<string, any>;
}

function assertEpochSeconds(value: unknown, what: string): void {
  assert.equal(typeof value, 'number', what);
  assert.match(String(value), EPOCH_SECONDS, what);
  assert.ok(Math.abs((value as number) - Date.now() / 1000) < 3600, `${what} ${String(value)} is not near now`);
}

describe('user pools', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  it('CreateUserPool answers with an AWS-format id, the pool ARN, the settings sent and defaults', async () => {
    const out = await server.client().send(
      new CreateUserPoolCommand({
        PoolName: 'shapes',
        AutoVerifiedAttributes: ['email'],
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false } },
        UsernameConfiguration: { CaseSensitive: false },
      }),
    );
    const pool = out.UserPool!;
    assert.match(pool.Id!, POOL_ID);
    assert.equal(pool.Name, 'shapes');
    assert.equal(pool.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
    assert.deepEqual(pool.AutoVerifiedAttributes, ['email']);
    assert.equal(pool.Policies?.PasswordPolicy?.MinimumLength, 12);
    assert.equal(pool.Policies?.PasswordPolicy?.RequireSymbols, false);
    assert.equal(pool.Policies?.PasswordPolicy?.RequireUppercase, true);
    assert.deepEqual(pool.UsernameConfiguration, { CaseSensitive: false });
    assert.equal(pool.EstimatedNumberOfUsers, 0);
    assert.ok(pool.CreationDate instanceof Date);
    assert.ok(pool.SchemaAttributes?.some((a) => a.Name === 'sub' && a.Required === true));
  });

  it('writes pool timestamps as epoch seconds with a fraction on the wire', async () => {
    const created = await raw(server.url, 'CreateUserPool', { PoolName: 'times' });
    assertEpochSeconds(created.UserPool.CreationDate, 'CreationDate');
    assertEpochSeconds(created.UserPool.LastModifiedDate, 'LastModifiedDate');
    const described = await raw(server.url, 'DescribeUserPool', { UserPoolId: created.UserPool.Id });
    assert.equal(described.UserPool.CreationDate, created.UserPool.CreationDate);
    const listed = await raw(server.url, 'ListUserPools', { MaxResults: 60 });
    const entry = (listed.UserPools as Record<string, unknown>[]).find((p) => p.Id === created.UserPool.Id)!;
    assert.deepEqual(Object.keys(entry).sort(), ['CreationDate', 'Id', 'LambdaConfig', 'LastModifiedDate', 'Name']);
    assertEpochSeconds(entry.CreationDate, 'ListUserPools CreationDate');
  });

  it('ids are unique across many pools', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await server.client().send(new CreateUserPoolCommand({ PoolName: `u${i}` }))).UserPool!.Id!);
    assert.equal(ids.size, 20);
  });

  it('ListUserPools pages with MaxResults and NextToken without repeats or gaps', async () => {
    const names = new Set<string>();
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await server.client().send(new ListUserPoolsCommand({ MaxResults: 7, NextToken: token }));
      assert.ok(page.UserPools!.length <= 7);
      for (const p of page.UserPools!) {
        ids.push(p.Id!);
        names.add(p.Name!);
      }
      token = page.NextToken;
      pages++;
    } while (token && pages < 50);
    assert.equal(new Set(ids).size, ids.length, 'a pool was listed twice');
    for (let i = 0; i < 20; i++) assert.ok(names.has(`u${i}`), `u${i} missing`);
    assert.ok(pages >= 3);
  });

  it('UpdateUserPool replaces mutable settings, keeps the immutable ones and bumps LastModifiedDate', async () => {
    const { UserPool } = await server.client().send(
      new CreateUserPoolCommand({ PoolName: 'upd', AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }),
    );
    await server.advanceClock(5);
    await server.client().send(
      new UpdateUserPoolCommand({
        UserPoolId: UserPool!.Id!,
        VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailSubject: 'Welcome', EmailMessage: 'Code: {####}' },
      }),
    );
    const { UserPool: after } = await server.client().send(new DescribeUserPoolCommand({ UserPoolId: UserPool!.Id! }));
    assert.equal(after!.VerificationMessageTemplate?.EmailSubject, 'Welcome');
    assert.deepEqual(after!.AliasAttributes, ['email']);
    assert.equal(after!.Name, 'upd');
    // Cognito resets settings an update omits; AutoVerifiedAttributes was not sent.
    assert.equal(after!.AutoVerifiedAttributes, undefined);
    assert.ok(after!.LastModifiedDate!.getTime() >= UserPool!.LastModifiedDate!.getTime() + 5000);
    assert.equal(after!.CreationDate!.getTime(), UserPool!.CreationDate!.getTime());
  });

  it('refuses AliasAttributes together with UsernameAttributes', async () => {
    const error = await rejection(() =>
      server.client().send(new CreateUserPoolCommand({ PoolName: 'both', AliasAttributes: ['email'], UsernameAttributes: ['email'] })),
    );
    assert.equal(error.name, 'InvalidParameterException');
  });

  it('DescribeUserPool counts the pool\'s users as EstimatedNumberOfUsers', async () => {
    const sdk = server.client();
    const poolId = (await sdk.send(new CreateUserPoolCommand({ PoolName: 'counted' }))).UserPool!.Id!;
    const count = async () => (await sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.EstimatedNumberOfUsers;
    assert.equal(await count(), 0);
    for (const name of ['ann', 'ben', 'cat']) await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS' }));
    assert.equal(await count(), 3);
    await sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'ben' }));
    assert.equal(await count(), 2);
  });

  it('DeleteUserPool removes the pool and its clients', async () => {
    const { UserPool } = await server.client().send(new CreateUserPoolCommand({ PoolName: 'doomed' }));
    const app = await server.client().send(new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id!, ClientName: 'c' }));
    await server.client().send(new DeleteUserPoolCommand({ UserPoolId: UserPool!.Id! }));
    const error = await rejection(() => server.client().send(new DescribeUserPoolCommand({ UserPoolId: UserPool!.Id! })));
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.message, `User pool ${UserPool!.Id} does not exist.`);
    const list = await server.client().send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.ok(!list.UserPools!.some((p) => p.Id === UserPool!.Id));
    const clientGone = await fetch(server.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.SignUp' },
      body: JSON.stringify({ ClientId: app.UserPoolClient!.ClientId, Username: 'x', Password: 'Correct-Horse-9' }),
    });
    assert.equal(((await clientGone.json()) as { __type: string }).__type, 'ResourceNotFoundException');
  });

  it('DeleteUserPool is refused while deletion protection is active', async () => {
    const { UserPool } = await server.client().send(new CreateUserPoolCommand({ PoolName: 'kept', DeletionProtection: 'ACTIVE' }));
    const error = await rejection(() => server.client().send(new DeleteUserPoolCommand({ UserPoolId: UserPool!.Id! })));
    assert.equal(error.name, 'InvalidParameterException');
    await server.client().send(new DescribeUserPoolCommand({ UserPoolId: UserPool!.Id! }));
  });
});

describe('user pool clients', () => {
  let server: TestServer;
  let poolId: string;
  before(async () => {
    server = await startTestServer();
    poolId = (await server.client().send(new CreateUserPoolCommand({ PoolName: 'clients' }))).UserPool!.Id!;
  });
  after(() => server.stop());

  it('CreateUserPoolClient answers with a 26-character id and the documented defaults', async () => {
    const { UserPoolClient: c } = await server.client().send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'plain' }));
    assert.match(c!.ClientId!, CLIENT_ID);
    assert.equal(c!.UserPoolId, poolId);
    assert.equal(c!.ClientName, 'plain');
    assert.equal(c!.ClientSecret, undefined);
    assert.equal(c!.PreventUserExistenceErrors, 'LEGACY');
    assert.equal(c!.AuthSessionValidity, 3);
    assert.deepEqual([...c!.ExplicitAuthFlows!].sort(), ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    assert.ok(c!.CreationDate instanceof Date);
  });

  it('takes GenerateSecret, PreventUserExistenceErrors, ExplicitAuthFlows and AuthSessionValidity', async () => {
    const { UserPoolClient: c } = await server.client().send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'server',
        GenerateSecret: true,
        PreventUserExistenceErrors: 'ENABLED',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AuthSessionValidity: 15,
      }),
    );
    assert.match(c!.ClientSecret!, /^[a-z0-9]{52}$/u);
    assert.equal(c!.PreventUserExistenceErrors, 'ENABLED');
    assert.deepEqual(c!.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    assert.equal(c!.AuthSessionValidity, 15);
    const { UserPoolClient: d } = await server.client().send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId! }));
    assert.equal(d!.ClientSecret, c!.ClientSecret);
    assert.equal(d!.PreventUserExistenceErrors, 'ENABLED');
    assert.equal(d!.AuthSessionValidity, 15);
  });

  it('refuses an AuthSessionValidity outside 3–15 with the model wording', async () => {
    const error = await rejection(() =>
      server.client().send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'x', AuthSessionValidity: 2 })),
    );
    assert.equal(error.name, 'InvalidParameterException');
    assert.equal(error.message, "1 validation error detected: Value '2' at 'authSessionValidity' failed to satisfy constraint: Member must have value greater than or equal to 3");
  });

  it('writes client timestamps as epoch seconds with a fraction on the wire', async () => {
    const created = await raw(server.url, 'CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'wire' });
    assertEpochSeconds(created.UserPoolClient.CreationDate, 'CreationDate');
    assertEpochSeconds(created.UserPoolClient.LastModifiedDate, 'LastModifiedDate');
  });

  it('refuses a client for a pool that does not exist', async () => {
    const error = await rejection(() =>
      server.client().send(new CreateUserPoolClientCommand({ UserPoolId: 'us-east-1_Missing00', ClientName: 'x' })),
    );
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.message, 'User pool us-east-1_Missing00 does not exist.');
  });

  it('ListUserPoolClients pages with MaxResults and NextToken', async () => {
    const { UserPool } = await server.client().send(new CreateUserPoolCommand({ PoolName: 'many-clients' }));
    const made = new Set<string>();
    for (let i = 0; i < 5; i++) {
      made.add((await server.client().send(new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id!, ClientName: `c${i}` }))).UserPoolClient!.ClientId!);
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await server.client().send(new ListUserPoolClientsCommand({ UserPoolId: UserPool!.Id!, MaxResults: 2, NextToken: token }));
      assert.ok(page.UserPoolClients!.length <= 2);
      for (const c of page.UserPoolClients!) {
        assert.deepEqual(Object.keys(c).sort(), ['ClientId', 'ClientName', 'UserPoolId']);
        seen.push(c.ClientId!);
      }
      token = page.NextToken;
    } while (token);
    assert.deepEqual(new Set(seen), made);
    assert.equal(seen.length, 5);
  });

  it('UpdateUserPoolClient changes settings and keeps id and secret', async () => {
    const { UserPoolClient: c } = await server.client().send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'before', GenerateSecret: true }),
    );
    const { UserPoolClient: u } = await server.client().send(
      new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId!, ClientName: 'after', PreventUserExistenceErrors: 'ENABLED' }),
    );
    assert.equal(u!.ClientId, c!.ClientId);
    assert.equal(u!.ClientName, 'after');
    assert.equal(u!.ClientSecret, c!.ClientSecret);
    assert.equal(u!.PreventUserExistenceErrors, 'ENABLED');
    const { UserPoolClient: d } = await server.client().send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId! }));
    assert.equal(d!.ClientName, 'after');
  });

  it('DeleteUserPoolClient removes the client; describing it then fails', async () => {
    const { UserPoolClient: c } = await server.client().send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'gone' }));
    await server.client().send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId! }));
    const error = await rejection(() => server.client().send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c!.ClientId! })));
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.message, `User pool client ${c!.ClientId} does not exist.`);
  });

  it('does not find a client through another pool', async () => {
    const { UserPoolClient: c } = await server.client().send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'mine' }));
    const other = (await server.client().send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    const error = await rejection(() => server.client().send(new DescribeUserPoolClientCommand({ UserPoolId: other, ClientId: c!.ClientId! })));
    assert.equal(error.name, 'ResourceNotFoundException');
  });
});
