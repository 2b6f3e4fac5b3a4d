/**
 * @module The processing order of spec §3: when a request breaks two rules, the earlier step's
 * error wins. Each test breaks exactly two rules and expects the earlier one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminDisableUserCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../../src/domain/secret-hash.ts';
import { AWS_ERRORS, assertRejects, userState, writeConfig } from '../helpers/cognito.ts';
import { PASSWORD, createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const WAF_POOL = 'us-east-1_WafOrder01';
const WAF_CLIENT = 'waforderclient00000000000a';
const WAF_SECRET = 'wafordersecret0000000000000000000000000000000000000a';

const MISMATCH = AWS_ERRORS.codeMismatch;
const EXPIRED = AWS_ERRORS.codeExpired;
const LIMITED = AWS_ERRORS.attemptLimit;
const NOT_FOUND = AWS_ERRORS.userNotFoundForClient;

const wrongCode = (code: string) => (code === '000000' ? '000001' : '000000');

describe('ConfirmSignUp processing order (spec §3)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let pool: { poolId: string; clientId: string };
  let secretPool: { poolId: string; clientId: string; clientSecret?: string };

  before(async () => {
    const config = writeConfig({
      pools: [
        {
          id: WAF_POOL,
          name: 'waf',
          settings: { AutoVerifiedAttributes: ['email'] },
          requestRules: { rules: [{ action: 'block', operations: ['ConfirmSignUp'] }], defaultAction: 'allow' },
          clients: [{ id: WAF_CLIENT, name: 'waf-client', secret: WAF_SECRET }],
        },
      ],
    });
    server = await startTestServer({ args: ['--config', config] });
    idp = server.client();
    pool = await createPool(idp);
    secretPool = await createPool(idp, {}, { GenerateSecret: true });
  });
  after(() => server.stop());

  const confirm = (input: { ClientId?: string; Username: string; ConfirmationCode: string; SecretHash?: string }) =>
    idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, ...input }));

  test('1 before 2: a shape error beats an unknown client', async () => {
    await assertRejects(() => confirm({ ClientId: 'nosuchclient0000000000000a', Username: 'x', ConfirmationCode: '' }), {
      type: 'InvalidParameterException',
      message:
        "2 validation errors detected: Value '' at 'confirmationCode' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
    });
  });

  test('2 before 5: an unknown client beats a bad SecretHash', async () => {
    await assertRejects(() => confirm({ ClientId: 'nosuchclient0000000000000a', Username: 'x', ConfirmationCode: '123456', SecretHash: 'bad=' }), {
      type: 'ResourceNotFoundException',
      message: 'User pool client nosuchclient0000000000000a does not exist.',
    });
  });

  test('3 before 5: a WAF block beats a missing SecretHash', async () => {
    await assertRejects(() => confirm({ ClientId: WAF_CLIENT, Username: 'anyone', ConfirmationCode: '123456' }), {
      type: 'ForbiddenException',
      message: 'Request not allowed due to WAF block.',
      status: 403,
    });
  });

  test('5 before 7: a missing or wrong SecretHash beats an unknown user', async () => {
    await assertRejects(() => confirm({ ClientId: secretPool.clientId, Username: 'ghost', ConfirmationCode: '123456' }), {
      type: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${secretPool.clientId}`,
    });
    await assertRejects(() => confirm({ ClientId: secretPool.clientId, Username: 'ghost', ConfirmationCode: '123456', SecretHash: 'AAAA' }), {
      type: 'NotAuthorizedException',
      message: `SecretHash does not match for the client: ${secretPool.clientId}`,
    });
    const hash = secretHash(secretPool.clientSecret!, 'ghost', secretPool.clientId);
    await assertRejects(() => confirm({ ClientId: secretPool.clientId, Username: 'ghost', ConfirmationCode: '123456', SecretHash: hash }), NOT_FOUND);
  });

  test('5 before 10: a wrong SecretHash beats a right code, and the attempt is not counted', async () => {
    const hash = secretHash(secretPool.clientSecret!, 'hashed', secretPool.clientId);
    await idp.send(
      new SignUpCommand({ ClientId: secretPool.clientId, SecretHash: hash, Username: 'hashed', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'h@example.com' }] }),
    );
    const code = await server.latestCode('hashed');
    for (let i = 0; i < 20; i++) {
      await assertRejects(() => confirm({ ClientId: secretPool.clientId, Username: 'hashed', ConfirmationCode: code, SecretHash: 'AAAA' }), {
        type: 'NotAuthorizedException',
        message: `SecretHash does not match for the client: ${secretPool.clientId}`,
      });
    }
    await confirm({ ClientId: secretPool.clientId, Username: 'hashed', ConfirmationCode: code, SecretHash: hash });
    assert.equal((await userState(idp, secretPool.poolId, 'hashed')).status, 'CONFIRMED');
  });

  test('8 before 10: the attempt limit beats a wrong, an expired and a right code', async () => {
    await signUp(idp, pool.clientId, 'order-limit');
    const code = await server.latestCode('order-limit');
    for (let i = 0; i < 15; i++) await assertRejects(() => confirm({ Username: 'order-limit', ConfirmationCode: wrongCode(code) }), MISMATCH);
    await assertRejects(() => confirm({ Username: 'order-limit', ConfirmationCode: wrongCode(code) }), LIMITED);
    await assertRejects(() => confirm({ Username: 'order-limit', ConfirmationCode: code }), LIMITED);
    assert.equal((await userState(idp, pool.poolId, 'order-limit')).status, 'UNCONFIRMED');
  });

  test('9 before 10: a confirmed user gets the status error whatever the code', async () => {
    await signUp(idp, pool.clientId, 'order-status');
    const code = await server.latestCode('order-status');
    await confirm({ Username: 'order-status', ConfirmationCode: code });
    for (const attempt of [code, wrongCode(code), '1']) {
      await assertRejects(() => confirm({ Username: 'order-status', ConfirmationCode: attempt }), {
        type: 'NotAuthorizedException',
        message: 'User cannot be confirmed. Current status is CONFIRMED',
      });
    }
  });

  test('status before the limit (deliberate, docs/confirm-sign-up.md): an over-limit user confirmed by an admin gets the status error', async () => {
    await signUp(idp, pool.clientId, 'order-limit-admin');
    const code = await server.latestCode('order-limit-admin');
    for (let i = 0; i < 15; i++) await assertRejects(() => confirm({ Username: 'order-limit-admin', ConfirmationCode: wrongCode(code) }), MISMATCH);
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'order-limit-admin' }));
    await assertRejects(() => confirm({ Username: 'order-limit-admin', ConfirmationCode: code }), {
      type: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
  });

  test('disabled before status and before the limit (LEGACY)', async () => {
    await signUp(idp, pool.clientId, 'order-disabled');
    const code = await server.latestCode('order-disabled');
    for (let i = 0; i < 15; i++) await assertRejects(() => confirm({ Username: 'order-disabled', ConfirmationCode: wrongCode(code) }), MISMATCH);
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: 'order-disabled' }));
    await idp.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'order-disabled' }));
    await assertRejects(() => confirm({ Username: 'order-disabled', ConfirmationCode: code }), { type: 'NotAuthorizedException', message: 'User is disabled.' });
  });

  test('expiry before comparison: after 24 hours a wrong code is reported as expired', async () => {
    const isolated = await createPool(idp);
    await signUp(idp, isolated.clientId, 'order-expired');
    const code = await server.latestCode('order-expired');
    await server.advanceClock(24 * 3600 + 1);
    await assertRejects(() => confirm({ ClientId: isolated.clientId, Username: 'order-expired', ConfirmationCode: wrongCode(code) }), EXPIRED);
    await assertRejects(() => confirm({ ClientId: isolated.clientId, Username: 'order-expired', ConfirmationCode: code }), EXPIRED);
  });

  test('10 before 11: a wrong code on a user whose alias is taken is a mismatch, not AliasExists', async () => {
    const aliased = await createPool(idp, { AliasAttributes: ['email'] });
    await signUp(idp, aliased.clientId, 'order-owner', 'taken@example.com');
    await confirm({ ClientId: aliased.clientId, Username: 'order-owner', ConfirmationCode: await server.latestCode('order-owner') });
    await signUp(idp, aliased.clientId, 'order-claimant', 'taken@example.com');
    const code = await server.latestCode('order-claimant');
    await assertRejects(() => confirm({ ClientId: aliased.clientId, Username: 'order-claimant', ConfirmationCode: wrongCode(code) }), MISMATCH);
    await assertRejects(() => confirm({ ClientId: aliased.clientId, Username: 'order-claimant', ConfirmationCode: code }), {
      type: 'AliasExistsException',
      message: 'An account with the email already exists.',
    });
  });
});
