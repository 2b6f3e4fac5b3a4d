/**
 * @module Request validation generated from the model (spec §4.2), seen through the real SDK and
 * raw HTTP, and the CI check that regenerating the model code changes nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ConfirmSignUpCommand, ListUsersCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { implementedOperations } from '../../src/operations/index.ts';
import { createPool, PASSWORD, rejection } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const USERNAME_PATTERN = 'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+';

async function call(url: string, operation: string, body: unknown): Promise<{ status: number; type: string; message: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const parsed = (await res.json()) as { __type?: string; message?: string };
  return { status: res.status, type: parsed.__type ?? '', message: parsed.message ?? '' };
}

describe('validation: through the SDK and raw HTTP', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    ({ poolId, clientId } = await createPool(server.client()));
  });
  after(() => server.stop());

  it('reports a username outside the pattern with Cognito wording and no value echo (SDK)', async () => {
    const error = await rejection(() =>
      server.client().send(new SignUpCommand({ ClientId: clientId, Username: 'has space', Password: PASSWORD })),
    );
    assert.equal(error.name, 'InvalidParameterException');
    assert.equal(error.message, `1 validation error detected: Value at 'username' failed to satisfy constraint: ${USERNAME_PATTERN}`);
    assert.equal(error.$metadata?.httpStatusCode, 400);
  });

  it('uses the plural form and joins errors with "; " in model member order (raw)', async () => {
    const long = 'c'.repeat(129);
    const r = await call(server.url, 'ConfirmSignUp', { ClientId: long, Username: '', ConfirmationCode: '12 34' });
    assert.equal(r.status, 400);
    assert.equal(r.type, 'InvalidParameterException');
    assert.equal(
      r.message,
      '4 validation errors detected: ' +
        `Value '${long}' at 'clientId' failed to satisfy constraint: Member must have length less than or equal to 128; ` +
        "Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        `Value at 'username' failed to satisfy constraint: ${USERNAME_PATTERN}; ` +
        "Value '12 34' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
    );
  });

  it('echoes the clientId value (SDK)', async () => {
    const error = await rejection(() =>
      server.client().send(new ConfirmSignUpCommand({ ClientId: 'bad-id!', Username: 'alice', ConfirmationCode: '123456' })),
    );
    assert.equal(error.name, 'InvalidParameterException');
    assert.equal(
      error.message,
      "1 validation error detected: Value 'bad-id!' at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+",
    );
  });

  it('reports missing required members as null values', async () => {
    const r = await call(server.url, 'ConfirmSignUp', { ClientId: clientId, ConfirmationCode: '123456' });
    assert.equal(r.type, 'InvalidParameterException');
    assert.equal(r.message, "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null");
  });

  it('checks numbers and enums from the model (ListUsers Limit, CreateUserPool AutoVerifiedAttributes)', async () => {
    const error = await rejection(() => server.client().send(new ListUsersCommand({ UserPoolId: poolId, Limit: 61 })));
    assert.equal(error.name, 'InvalidParameterException');
    assert.equal(error.message, "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60");
    const r = await call(server.url, 'CreateUserPool', { PoolName: 'p', AutoVerifiedAttributes: ['fax'] });
    assert.equal(r.type, 'InvalidParameterException');
    assert.match(r.message, /^1 validation error detected: Value '\[fax\]' at 'autoVerifiedAttributes' failed to satisfy constraint: .*enum value set: \[phone_number, email\]/u);
  });

  it('answers wrong JSON types with SerializationException 400', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['ConfirmSignUp', { ClientId: clientId, Username: 42, ConfirmationCode: '1' }, "Unexpected type for member 'Username': expected string"],
      ['ListUsers', { UserPoolId: poolId, Limit: '10' }, "Unexpected type for member 'Limit': expected integer"],
      ['SignUp', { ClientId: clientId, Username: 'a', UserAttributes: { email: 'x' } }, "Unexpected type for member 'UserAttributes': expected array"],
      ['CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'c', GenerateSecret: 'yes' }, "Unexpected type for member 'GenerateSecret': expected boolean"],
    ];
    for (const [operation, body, message] of cases) {
      const r = await call(server.url, operation, body);
      assert.deepEqual(r, { status: 400, type: 'SerializationException', message }, operation);
    }
  });

  it('validates before looking anything up, and a refused request leaves no user behind', async () => {
    const r = await call(server.url, 'SignUp', { ClientId: 'nosuchclient', Username: 'a b', Password: PASSWORD });
    assert.equal(r.type, 'InvalidParameterException');
    const bad = await call(server.url, 'SignUp', {
      ClientId: clientId, Username: 'partial', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'p@example.com' }, { Value: 'orphan' }],
    });
    assert.equal(bad.type, 'InvalidParameterException');
    assert.equal(bad.message, "1 validation error detected: Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null");
    const users = await server.client().send(new ListUsersCommand({ UserPoolId: poolId }));
    assert.deepEqual(users.Users, []);
    assert.deepEqual(await server.outbox('partial'), []);
  });

  it('answers {} to every implemented operation with a 4xx error, never a crash', async () => {
    for (const operation of implementedOperations) {
      const r = await call(server.url, operation, {});
      assert.equal(r.status, 400, `${operation}: ${r.type} ${r.message}`);
      assert.equal(r.type, 'InvalidParameterException', operation);
      assert.match(r.message, /^\d+ validation errors? detected: Value null at '/u, operation);
    }
  });
});

describe('validation: generated code is in step with the committed model', () => {
  it('`scripts/generate.ts --check` exits 0', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /up to date/u);
  });

  it('`scripts/extract-model.ts --check` exits 0', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/extract-model.ts', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr + run.stdout);
  });

  it('`scripts/gen-docs.ts --check` exits 0 (docs/operations.md is current)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-docs.ts', '--check'], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr + run.stdout);
  });
});
