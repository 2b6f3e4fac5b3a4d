/**
 * @module Every response of the issue-2 operations, read raw off the wire, checked member by member
 * against the output shape in model/cognito-idp.json: no member the model lacks, every value of
 * the model's type, enums within their sets, timestamps as epoch seconds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

interface Shape {
  type: string;
  members?: Record<string, { shape: string }>;
  member?: { shape: string };
  value?: { shape: string };
  enum?: string[];
}
const model = JSON.parse(readFileSync(fileURLToPath(new URL('../../model/cognito-idp.json', import.meta.url)), 'utf8')) as {
  operations: Record<string, { output?: string }>;
  shapes: Record<string, Shape>;
};

/** Every way `value` departs from shape `name`, as `path: problem` lines. */
function conformance(value: unknown, name: string, path: string): string[] {
  const shape = model.shapes[name];
  if (!shape) return [`${path}: model has no shape ${name}`];
  switch (shape.type) {
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      return Object.entries(value).flatMap(([key, v]) => {
        const member = shape.members?.[key];
        return member ? conformance(v, member.shape, `${path}.${key}`) : [`${path}.${key}: not a member of ${name}`];
      });
    }
    case 'list':
      return Array.isArray(value) ? value.flatMap((v, i) => conformance(v, shape.member!.shape, `${path}[${i}]`)) : [`${path}: expected a list`];
    case 'map':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) => conformance(v, shape.value!.shape, `${path}{${k}}`))
        : [`${path}: expected a map`];
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected a string`];
      return shape.enum && !shape.enum.includes(value) ? [`${path}: "${value}" is not one of ${shape.enum.join(', ')}`] : [];
    case 'integer':
    case 'long':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
    case 'timestamp':
      return typeof value === 'number' && /^1\d{9}(\.\d{1,3})?$/u.test(String(value)) ? [] : [`${path}: expected epoch seconds, got ${JSON.stringify(value)}`];
    default:
      return [`${path}: unexpected shape type ${shape.type}`];
  }
}

describe('response shapes match the model', () => {
  let server: TestServer;
  const seen = new Set<string>();

  async function call(operation: string, input: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as Record<string, any>;
    assert.equal(res.status, 200, `${operation}: ${JSON.stringify(body)}`);
    const output = model.operations[operation]?.output;
    if (output) assert.deepEqual(conformance(body, output, operation), []);
    else assert.deepEqual(body, {}, `${operation} has no output shape, so its answer is {}`);
    seen.add(operation);
    return body;
  }

  before(async () => (server = await startTestServer()));
  after(() => server.stop());

  it('for pools, clients and users, with rich settings', async () => {
    const pool = (await call('CreateUserPool', {
      PoolName: 'shapes',
      AutoVerifiedAttributes: ['email'],
      AliasAttributes: ['email', 'preferred_username'],
      UsernameConfiguration: { CaseSensitive: false },
      Policies: { PasswordPolicy: { MinimumLength: 9, RequireSymbols: false } },
      Schema: [{ Name: 'team', AttributeDataType: 'String', Mutable: true }],
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailMessage: 'Code {####}', EmailSubject: 'Hi' },
      UserPoolTags: { env: 'test' },
      DeletionProtection: 'INACTIVE',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    })).UserPool;
    const poolId = pool.Id as string;
    await call('DescribeUserPool', { UserPoolId: poolId });
    await call('ListUserPools', { MaxResults: 10 });
    await call('UpdateUserPool', { UserPoolId: poolId, AutoVerifiedAttributes: ['email'], MfaConfiguration: 'OFF' });

    const app = (await call('CreateUserPoolClient', {
      UserPoolId: poolId,
      ClientName: 'rich',
      GenerateSecret: true,
      PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AuthSessionValidity: 5,
      ReadAttributes: ['email'],
      TokenValidityUnits: { AccessToken: 'hours' },
    })).UserPoolClient;
    const plain = (await call('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'plain' })).UserPoolClient;
    await call('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: app.ClientId });
    await call('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 1 });
    await call('UpdateUserPoolClient', { UserPoolId: poolId, ClientId: app.ClientId, ClientName: 'renamed', AuthSessionValidity: 10 });

    await call('SignUp', {
      ClientId: plain.ClientId, Username: 'shaped', Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'shaped@example.com' }, { Name: 'custom:team', Value: 'blue' }],
    });
    const code = await server.latestCode('shaped');
    await call('ConfirmSignUp', { ClientId: plain.ClientId, Username: 'shaped', ConfirmationCode: code });
    await call('SignUp', { ClientId: plain.ClientId, Username: 'resender', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'r@example.com' }] });
    await call('ResendConfirmationCode', { ClientId: plain.ClientId, Username: 'resender' });
    await call('AdminConfirmSignUp', { UserPoolId: poolId, Username: 'resender' });
    await call('AdminCreateUser', { UserPoolId: poolId, Username: 'made', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'm@example.com' }] });
    await call('AdminGetUser', { UserPoolId: poolId, Username: 'shaped' });
    await call('AdminDisableUser', { UserPoolId: poolId, Username: 'made' });
    await call('AdminEnableUser', { UserPoolId: poolId, Username: 'made' });
    await call('ListUsers', { UserPoolId: poolId, Limit: 2 });
    await call('ListUsers', { UserPoolId: poolId, AttributesToGet: ['email'], Filter: 'email ^= "s"' });
    await call('AdminDeleteUser', { UserPoolId: poolId, Username: 'made' });
    await call('DeleteUserPoolClient', { UserPoolId: poolId, ClientId: app.ClientId });
    await call('DeleteUserPool', { UserPoolId: poolId });
  });

  it('covered every operation of issue 2 item 3', () => {
    const required = [
      'CreateUserPool', 'DescribeUserPool', 'ListUserPools', 'UpdateUserPool', 'DeleteUserPool',
      'CreateUserPoolClient', 'DescribeUserPoolClient', 'ListUserPoolClients', 'UpdateUserPoolClient', 'DeleteUserPoolClient',
      'SignUp', 'ConfirmSignUp', 'ResendConfirmationCode', 'AdminConfirmSignUp', 'AdminCreateUser',
      'AdminGetUser', 'AdminDeleteUser', 'AdminDisableUser', 'AdminEnableUser', 'ListUsers',
    ];
    assert.deepEqual(required.filter((op) => !seen.has(op)), []);
  });
});
