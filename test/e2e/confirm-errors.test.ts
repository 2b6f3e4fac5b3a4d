/**
 * @module One test per row of spec §4.1: every ConfirmSignUp error the server can produce, through
 * the real SDK, with its `__type`, exact message, HTTP status and the user's state afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../../src/domain/secret-hash.ts';
import { assertRejects, userState, writeConfig, writeModule } from '../helpers/cognito.ts';
import { PASSWORD, createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:';
const WAF_POOL = 'us-east-1_WafErrors1';
const WAF_CLIENT = 'waferrorsclient0000000000a';

describe('ConfirmSignUp errors (spec §4.1)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let pool: { poolId: string; clientId: string };

  before(async () => {
    const config = writeConfig({
      functions: {
        [`${FN}throws`]: { module: writeModule('export async function handler() { throw new Error("not today"); }') },
        [`${FN}text`]: { module: writeModule('export async function handler() { return "done"; }') },
        [`${FN}number`]: { module: writeModule('export async function handler() { return 42; }') },
      },
      pools: [
        {
          id: WAF_POOL,
          name: 'waf',
          settings: { AutoVerifiedAttributes: ['email'] },
          requestRules: { rules: [{ action: 'block', cidrs: ['127.0.0.0/8'], operations: ['ConfirmSignUp'] }], defaultAction: 'allow' },
          clients: [{ id: WAF_CLIENT, name: 'waf-client' }],
        },
      ],
    });
    server = await startTestServer({ args: ['--config', config] });
    idp = server.client();
    pool = await createPool(idp);
  });
  after(() => server.stop());

  const confirm = (input: { ClientId?: string; Username: string; ConfirmationCode: string; SecretHash?: string; ForceAliasCreation?: boolean }) =>
    idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, ...input }));

  test('ResourceNotFoundException: no pool owns the ClientId', async () => {
    await signUp(idp, pool.clientId, 'rnf-user');
    const code = await server.latestCode('rnf-user');
    await assertRejects(() => confirm({ ClientId: 'nosuchclient0000000000000a', Username: 'rnf-user', ConfirmationCode: code }), {
      type: 'ResourceNotFoundException',
      message: 'User pool client nosuchclient0000000000000a does not exist.',
    });
    assert.equal((await userState(idp, pool.poolId, 'rnf-user')).status, 'UNCONFIRMED');
  });

  test('InvalidParameterException: the request fails a shape constraint (§4.2 wording)', async () => {
    await signUp(idp, pool.clientId, 'shape-user');
    await assertRejects(() => confirm({ Username: 'shape-user', ConfirmationCode: '12 34' }), {
      type: 'InvalidParameterException',
      message:
        "1 validation error detected: Value '12 34' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
    });
    assert.equal((await userState(idp, pool.poolId, 'shape-user')).status, 'UNCONFIRMED');
  });

  test('NotAuthorizedException: the client has a secret and SecretHash is missing, then wrong', async () => {
    const secretPool = await createPool(idp, {}, { GenerateSecret: true });
    const hash = secretHash(secretPool.clientSecret!, 'nohash-user', secretPool.clientId);
    await idp.send(
      new SignUpCommand({
        ClientId: secretPool.clientId, SecretHash: hash, Username: 'nohash-user', Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'nohash@example.com' }],
      }),
    );
    const code = await server.latestCode('nohash-user');
    await assertRejects(() => confirm({ ClientId: secretPool.clientId, Username: 'nohash-user', ConfirmationCode: code }), {
      type: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${secretPool.clientId}`,
    });
    await assertRejects(
      () => confirm({ ClientId: secretPool.clientId, Username: 'nohash-user', ConfirmationCode: code, SecretHash: secretHash('wrong', 'nohash-user', secretPool.clientId) }),
      { type: 'NotAuthorizedException', message: `SecretHash does not match for the client: ${secretPool.clientId}` },
    );
    assert.equal((await userState(idp, secretPool.poolId, 'nohash-user')).status, 'UNCONFIRMED');
    await confirm({ ClientId: secretPool.clientId, Username: 'nohash-user', ConfirmationCode: code, SecretHash: hash });
    assert.equal((await userState(idp, secretPool.poolId, 'nohash-user')).status, 'CONFIRMED');
  });

  test('NotAuthorizedException: the user is not UNCONFIRMED', async () => {
    await signUp(idp, pool.clientId, 'twice-user');
    const code = await server.latestCode('twice-user');
    await confirm({ Username: 'twice-user', ConfirmationCode: code });
    await assertRejects(() => confirm({ Username: 'twice-user', ConfirmationCode: code }), {
      type: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
    assert.equal((await userState(idp, pool.poolId, 'twice-user')).status, 'CONFIRMED');
  });

  test('NotAuthorizedException: the user is disabled and the client is LEGACY', async () => {
    await signUp(idp, pool.clientId, 'off-user');
    const code = await server.latestCode('off-user');
    await idp.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'off-user' }));
    await assertRejects(() => confirm({ Username: 'off-user', ConfirmationCode: code }), { type: 'NotAuthorizedException', message: 'User is disabled.' });
    const state = await userState(idp, pool.poolId, 'off-user');
    assert.deepEqual([state.status, state.enabled], ['UNCONFIRMED', false]);
  });

  test('UserNotFoundException: no user matches and the client is LEGACY', async () => {
    await assertRejects(() => confirm({ Username: 'nobody-here', ConfirmationCode: '123456' }), {
      type: 'UserNotFoundException',
      message: 'Username/client id combination not found.',
    });
  });

  test('CodeMismatchException: the code is not the outstanding one', async () => {
    await signUp(idp, pool.clientId, 'wrong-user');
    const code = await server.latestCode('wrong-user');
    const wrong = code === '000000' ? '000001' : '000000';
    await assertRejects(() => confirm({ Username: 'wrong-user', ConfirmationCode: wrong }), {
      type: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
    assert.equal((await userState(idp, pool.poolId, 'wrong-user')).status, 'UNCONFIRMED');
  });

  test('ExpiredCodeException: there is no outstanding code (pool without AutoVerifiedAttributes)', async () => {
    const quiet = await createPool(idp, { AutoVerifiedAttributes: [] });
    await signUp(idp, quiet.clientId, 'nocode-user');
    assert.deepEqual(await server.outbox('nocode-user'), []);
    await assertRejects(() => confirm({ ClientId: quiet.clientId, Username: 'nocode-user', ConfirmationCode: '123456' }), {
      type: 'ExpiredCodeException',
      message: 'Invalid code provided, please request a code again.',
    });
    assert.equal((await userState(idp, quiet.poolId, 'nocode-user')).status, 'UNCONFIRMED');
  });

  test('AliasExistsException: a valid code, but another user holds the email alias', async () => {
    const aliased = await createPool(idp, { AliasAttributes: ['email'] });
    await signUp(idp, aliased.clientId, 'alias-first', 'shared@example.com');
    await confirm({ ClientId: aliased.clientId, Username: 'alias-first', ConfirmationCode: await server.latestCode('alias-first') });
    await signUp(idp, aliased.clientId, 'alias-second', 'shared@example.com');
    const code = await server.latestCode('alias-second');
    await assertRejects(() => confirm({ ClientId: aliased.clientId, Username: 'alias-second', ConfirmationCode: code }), {
      type: 'AliasExistsException',
      message: 'An account with the email already exists.',
    });
    assert.equal((await userState(idp, aliased.poolId, 'alias-second')).status, 'UNCONFIRMED');
  });

  test('LimitExceededException: the 16th call within the hour, even with the right code', async () => {
    await signUp(idp, pool.clientId, 'limit-user');
    const code = await server.latestCode('limit-user');
    const wrong = code === '000000' ? '000001' : '000000';
    const mismatch = { type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' };
    for (let i = 0; i < 15; i++) await assertRejects(() => confirm({ Username: 'limit-user', ConfirmationCode: wrong }), mismatch);
    await assertRejects(() => confirm({ Username: 'limit-user', ConfirmationCode: code }), {
      type: 'LimitExceededException',
      message: 'Attempt limit exceeded, please try after some time.',
    });
    assert.equal((await userState(idp, pool.poolId, 'limit-user')).status, 'UNCONFIRMED');
  });

  test('ForbiddenException: the pool request rules block the caller (403)', async () => {
    await signUp(idp, WAF_CLIENT, 'waf-user');
    const code = await server.latestCode('waf-user');
    await assertRejects(() => confirm({ ClientId: WAF_CLIENT, Username: 'waf-user', ConfirmationCode: code }), {
      type: 'ForbiddenException',
      message: 'Request not allowed due to WAF block.',
      status: 403,
    });
    assert.equal((await userState(idp, WAF_POOL, 'waf-user')).status, 'UNCONFIRMED');
  });

  describe('PostConfirmation failures (§6.5); the confirmation is committed first (§11)', () => {
    const cases = [
      { fn: 'throws', type: 'UserLambdaValidationException', message: 'PostConfirmation failed with error not today.' },
      { fn: 'missing', type: 'UnexpectedLambdaException', message: 'PostConfirmation invocation failed due to error ResourceNotFoundException.' },
      { fn: 'text', type: 'InvalidLambdaResponseException', message: 'Invalid lambda function output : Invalid JSON' },
      { fn: 'number', type: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' },
    ];
    for (const { fn, type, message } of cases) {
      test(`${type}: ${message}`, async () => {
        const triggered = await createPool(idp, { LambdaConfig: { PostConfirmation: `${FN}${fn}` } });
        await signUp(idp, triggered.clientId, `trigger-${fn}`);
        const code = await server.latestCode(`trigger-${fn}`);
        await assertRejects(() => confirm({ ClientId: triggered.clientId, Username: `trigger-${fn}`, ConfirmationCode: code }), { type, message });
        const state = await userState(idp, triggered.poolId, `trigger-${fn}`);
        assert.deepEqual([state.status, state.attributes.email_verified], ['CONFIRMED', 'true']);
      });
    }
  });

  test('InternalErrorException: an unexpected fault is a 500 with a generic message; the cause is logged with the request id', async (t) => {
    if (server.db.startsWith('postgres')) return t.skip('provoked through a SQLite write lock');
    await signUp(idp, pool.clientId, 'fault-user');
    const code = await server.latestCode('fault-user');
    // Another connection holds the write lock past the server's busy timeout: a fault outside any rule.
    const holder = new Database(server.db);
    holder.exec('BEGIN EXCLUSIVE');
    let error: Awaited<ReturnType<typeof assertRejects>> | undefined;
    try {
      error = await assertRejects(() => confirm({ Username: 'fault-user', ConfirmationCode: code }), {
        type: 'InternalErrorException',
        message: 'Internal server error.',
        status: 500,
      });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const requestId = error?.$metadata?.requestId;
    assert.ok(requestId);
    // The log travels through a pipe that may be read after the HTTP answer; wait for it.
    const logLine = await logLineWith(server, requestId);
    assert.match(logLine, /database is locked/u);
    assert.equal((await userState(idp, pool.poolId, 'fault-user')).status, 'UNCONFIRMED');
    await confirm({ Username: 'fault-user', ConfirmationCode: code });
    assert.equal((await userState(idp, pool.poolId, 'fault-user')).status, 'CONFIRMED');
  });

  test('AdminCreateUser users are FORCE_CHANGE_PASSWORD and cannot be confirmed', async () => {
    await idp.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: 'admin-made', MessageAction: 'SUPPRESS' }));
    await assertRejects(() => confirm({ Username: 'admin-made', ConfirmationCode: '123456' }), {
      type: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD',
    });
    assert.equal((await userState(idp, pool.poolId, 'admin-made')).status, 'FORCE_CHANGE_PASSWORD');
  });
});

async function logLineWith(server: TestServer, requestId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = server.output().split('\n').find((l) => l.includes(requestId) && l.includes('internal error'));
    if (line) return line;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`no log line for request ${requestId}:\n${server.output().slice(-2000)}`);
}
