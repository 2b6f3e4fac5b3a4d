/**
 * @module An app client's OAuth settings through the AWS SDK (OML §2, docs/oauth.md): flows, scopes
 * (reserved, or custom scopes of the pool's resource servers), callback and sign-out URLs, the
 * default redirect and identity providers; DescribeUserPoolClient returns them, and
 * UpdateUserPoolClient resets what it is not sent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects } from '../helpers/cognito.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const invalid = (message: string) => ({ type: 'InvalidParameterException', message });

describe('app-client OAuth settings', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  const create = (input: Partial<CreateUserPoolClientCommandInput>) => idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ...input }));

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: 'oauth-clients' }))).UserPool!.Id!;
    await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }] }));
  });
  after(() => server.stop());

  const web = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code', 'implicit'] as ('code' | 'implicit')[],
    AllowedOAuthScopes: ['openid', 'email', 'profile', 'api/read'],
    CallbackURLs: ['https://app.example.com/cb', 'http://localhost:3000/cb', 'http://127.0.0.1/cb', 'myapp://cb'],
    LogoutURLs: ['https://app.example.com/bye'],
    DefaultRedirectURI: 'https://app.example.com/cb',
    SupportedIdentityProviders: ['COGNITO'],
  };

  test('valid settings are stored and described; UpdateUserPoolClient without them resets them', async () => {
    const created = (await create(web)).UserPoolClient!;
    for (const [name, value] of Object.entries(web)) assert.deepEqual(created[name as keyof typeof created], value, name);
    const described = (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId! }))).UserPoolClient!;
    for (const [name, value] of Object.entries(web)) assert.deepEqual(described[name as keyof typeof described], value, name);
    const reset = (await idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId! }))).UserPoolClient!;
    assert.equal(reset.AllowedOAuthFlowsUserPoolClient, false);
    assert.equal(reset.AllowedOAuthFlows, undefined);
    assert.equal(reset.CallbackURLs, undefined);
    const again = (await idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId!, ...web, CallbackURLs: ['myapp://cb'], DefaultRedirectURI: 'myapp://cb' }))).UserPoolClient!;
    assert.deepEqual(again.CallbackURLs, ['myapp://cb']);
  });

  test('callback and sign-out URLs: HTTPS or loopback HTTP or an app scheme, never a fragment', async () => {
    await assertRejects(() => create({ CallbackURLs: ['http://example.com/cb'] }), invalid('Invalid redirect URL: http://example.com/cb'));
    await assertRejects(() => create({ CallbackURLs: ['https://example.com/cb#frag'] }), invalid('Invalid redirect URL: https://example.com/cb#frag'));
    await assertRejects(() => create({ LogoutURLs: ['http://example.com/out'] }), invalid('Invalid logout URL: http://example.com/out'));
    await assertRejects(() => create({ CallbackURLs: ['https://e.com/a'], DefaultRedirectURI: 'https://e.com/b' }), invalid('DefaultRedirectURI must be one of the CallbackURLs.'));
    const client = (await create({})).UserPoolClient!;
    await assertRejects(
      () => idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId!, CallbackURLs: ['http://example.com/cb'] })),
      invalid('Invalid redirect URL: http://example.com/cb'),
    );
  });

  test('client_credentials is the only flow, needs a secret and custom scopes; custom scopes must exist; providers must exist', async () => {
    const machine = { GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['client_credentials' as const], AllowedOAuthScopes: ['api/read'] };
    const ok = (await create(machine)).UserPoolClient!;
    assert.deepEqual(ok.AllowedOAuthFlows, ['client_credentials']);
    await assertRejects(() => create({ ...machine, AllowedOAuthFlows: ['client_credentials', 'code'] }), invalid('client_credentials flow can not be selected along with code flow or implicit flow.'));
    await assertRejects(() => create({ ...machine, GenerateSecret: false }), invalid('client_credentials flow can not be selected if client does not have a client secret.'));
    await assertRejects(() => create({ ...machine, AllowedOAuthScopes: ['openid'] }), invalid('client_credentials flow can only be used with custom scopes.'));
    await assertRejects(() => create({ AllowedOAuthScopes: ['api/nope'] }), invalid('Invalid scope requested: api/nope'));
    await assertRejects(() => create({ AllowedOAuthScopes: ['other/read'] }), invalid('Invalid scope requested: other/read'));
    await assertRejects(() => create({ AllowedOAuthScopes: ['banana'] }), invalid('Invalid scope requested: banana'));
    await assertRejects(
      () => idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: ok.ClientId!, ...machine, AllowedOAuthScopes: ['api/write'] })),
      invalid('Invalid scope requested: api/write'),
    );
    await assertRejects(() => create({ SupportedIdentityProviders: ['COGNITO', 'Google'] }), invalid(`The provider Google does not exist for User Pool ${poolId}`));
  });
});
