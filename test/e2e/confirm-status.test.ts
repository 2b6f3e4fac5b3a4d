/**
 * @module Users that cannot be confirmed (spec §5.8) and PreventUserExistenceErrors for
 * ConfirmSignUp (spec §5.4): every status the API can reach, disabled and unknown users.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  ConfirmSignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects, userState, writeConfig, writeModule } from '../helpers/cognito.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const AUTO_CONFIRM = 'arn:aws:lambda:us-east-1:000000000000:function:auto-confirm';
const MISMATCH = AWS_ERRORS.codeMismatch;
const cannotConfirm = (status: string) => ({ type: 'NotAuthorizedException', message: `User cannot be confirmed. Current status is ${status}` });
const wrongCode = (code: string) => (code === '000000' ? '000001' : '000000');

describe('ConfirmSignUp on users that are not UNCONFIRMED (spec §5.8) and existence errors (spec §5.4)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let legacy: { poolId: string; clientId: string };
  let hiding: { poolId: string; clientId: string };

  before(async () => {
    const config = writeConfig({
      functions: {
        [AUTO_CONFIRM]: { module: writeModule('export async function handler(event) { event.response.autoConfirmUser = true; return event; }') },
      },
    });
    server = await startTestServer({ args: ['--config', config] });
    idp = server.client();
    legacy = await createPool(idp);
    hiding = await createPool(idp, {}, { PreventUserExistenceErrors: 'ENABLED' });
  });
  after(() => server.stop());

  const confirm = (ClientId: string, Username: string, ConfirmationCode: string) =>
    idp.send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode }));

  test('CONFIRMED by ConfirmSignUp: the code is consumed and a second call gets the status error', async () => {
    await signUp(idp, legacy.clientId, 'st-confirmed');
    const code = await server.latestCode('st-confirmed');
    await confirm(legacy.clientId, 'st-confirmed', code);
    await assertRejects(() => confirm(legacy.clientId, 'st-confirmed', code), cannotConfirm('CONFIRMED'));
  });

  test('CONFIRMED by AdminConfirmSignUp: the outstanding code no longer confirms', async () => {
    await signUp(idp, legacy.clientId, 'st-admin');
    const code = await server.latestCode('st-admin');
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: legacy.poolId, Username: 'st-admin' }));
    await assertRejects(() => confirm(legacy.clientId, 'st-admin', code), cannotConfirm('CONFIRMED'));
    const state = await userState(idp, legacy.poolId, 'st-admin');
    assert.deepEqual([state.status, state.attributes.email_verified], ['CONFIRMED', undefined], 'AdminConfirmSignUp verifies nothing (§5.9)');
  });

  test('CONFIRMED by a PreSignUp trigger: no code was sent, the status error answers', async () => {
    const auto = await createPool(idp, { LambdaConfig: { PreSignUp: AUTO_CONFIRM } });
    const out = await signUp(idp, auto.clientId, 'st-auto');
    assert.equal(out.UserConfirmed, true);
    assert.deepEqual(await server.outbox('st-auto'), []);
    await assertRejects(() => confirm(auto.clientId, 'st-auto', '123456'), cannotConfirm('CONFIRMED'));
  });

  test('FORCE_CHANGE_PASSWORD (AdminCreateUser), also with existence errors prevented', async () => {
    for (const { poolId, clientId } of [legacy, hiding]) {
      await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'st-invited', MessageAction: 'SUPPRESS' }));
      await assertRejects(() => confirm(clientId, 'st-invited', '123456'), cannotConfirm('FORCE_CHANGE_PASSWORD'));
      assert.equal((await userState(idp, poolId, 'st-invited')).status, 'FORCE_CHANGE_PASSWORD');
    }
  });

  test('ENABLED still reports the status of a confirmed user (it reveals nothing the code did not)', async () => {
    await signUp(idp, hiding.clientId, 'st-hidden-confirmed');
    const code = await server.latestCode('st-hidden-confirmed');
    await confirm(hiding.clientId, 'st-hidden-confirmed', code);
    await assertRejects(() => confirm(hiding.clientId, 'st-hidden-confirmed', code), cannotConfirm('CONFIRMED'));
  });

  test('disabled, LEGACY: "User is disabled." even with the right code; calls are not counted', async () => {
    await signUp(idp, legacy.clientId, 'st-disabled');
    const code = await server.latestCode('st-disabled');
    await idp.send(new AdminDisableUserCommand({ UserPoolId: legacy.poolId, Username: 'st-disabled' }));
    for (let i = 0; i < 20; i++) {
      await assertRejects(() => confirm(legacy.clientId, 'st-disabled', i % 2 ? code : wrongCode(code)), { type: 'NotAuthorizedException', message: 'User is disabled.' });
    }
    assert.equal((await userState(idp, legacy.poolId, 'st-disabled')).status, 'UNCONFIRMED');
    await idp.send(new AdminEnableUserCommand({ UserPoolId: legacy.poolId, Username: 'st-disabled' }));
    await confirm(legacy.clientId, 'st-disabled', code);
    assert.equal((await userState(idp, legacy.poolId, 'st-disabled')).status, 'CONFIRMED');
  });

  test('disabled, ENABLED: indistinguishable from a wrong code, even with the right code', async () => {
    await signUp(idp, hiding.clientId, 'st-hidden-disabled');
    const code = await server.latestCode('st-hidden-disabled');
    await idp.send(new AdminDisableUserCommand({ UserPoolId: hiding.poolId, Username: 'st-hidden-disabled' }));
    await assertRejects(() => confirm(hiding.clientId, 'st-hidden-disabled', code), MISMATCH);
    await assertRejects(() => confirm(hiding.clientId, 'st-hidden-disabled', wrongCode(code)), MISMATCH);
    const state = await userState(idp, hiding.poolId, 'st-hidden-disabled');
    assert.deepEqual([state.status, state.enabled], ['UNCONFIRMED', false]);
  });

  test('unknown user, ENABLED: CodeMismatchException instead of UserNotFoundException', async () => {
    await assertRejects(() => confirm(hiding.clientId, 'st-nobody', '123456'), MISMATCH);
    await assertRejects(() => confirm(legacy.clientId, 'st-nobody', '123456'), {
      type: 'UserNotFoundException',
      message: 'Username/client id combination not found.',
    });
  });

  test('unknown user, ENABLED: an unconfirmed user\'s email, not yet an alias, is also a mismatch', async () => {
    const aliased = await createPool(idp, { AliasAttributes: ['email'] }, { PreventUserExistenceErrors: 'ENABLED' });
    await signUp(idp, aliased.clientId, 'st-alias', 'st-alias@example.com');
    const code = await server.latestCode('st-alias');
    await assertRejects(() => confirm(aliased.clientId, 'st-alias@example.com', code), MISMATCH);
    assert.equal((await userState(idp, aliased.poolId, 'st-alias')).status, 'UNCONFIRMED');
  });
});
