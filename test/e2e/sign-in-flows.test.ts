/**
 * @module Sign-in through the SDK v3 (sign-in spec §3, §4, §8, §9): which flow each operation and
 * client accepts, the user states in their order, PreventUserExistenceErrors, lockout, secret hashes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminInitiateAuthCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../../src/domain/secret-hash.ts';
import { AWS_ERRORS, assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const PASSWORD_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'] as const;
const BAD = AWS_ERRORS.badCredentials;

describe('sign-in flows and user states', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...PASSWORD_FLOWS] }));
  });
  after(() => server.stop());

  const confirmed = async (client: string, username: string) => {
    await signUp(idp, client, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: username, ConfirmationCode: await server.latestCode(username) }));
  };
  const passwordAuth = (username: string, password = PASSWORD, extra: Partial<InitiateAuthCommandInput> = {}) =>
    idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: password }, ...extra }));

  test('USER_PASSWORD_AUTH after confirmation: tokens, ExpiresIn 3600, Bearer, and a refresh token', async () => {
    await confirmed(clientId, 'pw-user');
    const out = await passwordAuth('pw-user');
    assert.equal(out.ChallengeName, undefined);
    const result = out.AuthenticationResult!;
    assert.deepEqual([result.ExpiresIn, result.TokenType], [3600, 'Bearer']);
    for (const token of [result.AccessToken, result.IdToken]) assert.match(token!, /^[\w-]+\.[\w-]+\.[\w-]+$/u);
    assert.match(result.RefreshToken!, /^[A-Za-z0-9-_=.]+$/u);
    assert.equal(result.RefreshToken!.split('.').length, 5);
  });

  test('a client without ExplicitAuthFlows refuses USER_PASSWORD_AUTH, as Cognito does by default', async () => {
    const { clientId: plain } = await createPool(idp);
    await assertRejects(() => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: plain, AuthParameters: { USERNAME: 'x', PASSWORD: 'y' } })), {
      type: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
  });

  test('each flow on its own operation only; Admin says "Auth flow not enabled" for a disabled flow', async () => {
    await assertRejects(() => idp.send(new InitiateAuthCommand({ AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'x', PASSWORD: 'y' } })), {
      type: 'InvalidParameterException',
      message: 'Initiate Auth method not supported.',
    });
    await assertRejects(() => idp.send(new AdminInitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', UserPoolId: poolId, ClientId: clientId, AuthParameters: { USERNAME: 'x', PASSWORD: 'y' } })), {
      type: 'InvalidParameterException',
      message: 'Initiate Auth method not supported.',
    });
    const { poolId: otherPool, clientId: srpOnly } = await createPool(idp, {}, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] });
    await assertRejects(() => idp.send(new AdminInitiateAuthCommand({ AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', UserPoolId: otherPool, ClientId: srpOnly, AuthParameters: { USERNAME: 'x', PASSWORD: 'y' } })), {
      type: 'InvalidParameterException',
      message: 'Auth flow not enabled for this client',
    });
  });

  test('ADMIN_USER_PASSWORD_AUTH and its legacy name ADMIN_NO_SRP_AUTH sign in', async () => {
    await confirmed(clientId, 'admin-pw');
    for (const flow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] as const) {
      const out = await idp.send(new AdminInitiateAuthCommand({ AuthFlow: flow, UserPoolId: poolId, ClientId: clientId, AuthParameters: { USERNAME: 'admin-pw', PASSWORD: PASSWORD } }));
      assert.ok(out.AuthenticationResult?.AccessToken, flow);
    }
  });

  test('missing AuthParameters keys are named', async () => {
    await assertRejects(() => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { PASSWORD: 'x' } })), {
      type: 'InvalidParameterException',
      message: 'Missing required parameter USERNAME',
    });
    await assertRejects(() => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'x' } })), {
      type: 'InvalidParameterException',
      message: 'Missing required parameter SRP_A',
    });
  });

  test('user states in order: unknown, unconfirmed (even with a wrong password), wrong password, disabled', async () => {
    await assertRejects(() => passwordAuth('nobody'), { type: 'UserNotFoundException', message: 'User does not exist.' });
    await signUp(idp, clientId, 'unconfirmed');
    await assertRejects(() => passwordAuth('unconfirmed', 'Wrong-Password-1'), { type: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    await confirmed(clientId, 'wrong-pw');
    await assertRejects(() => passwordAuth('wrong-pw', 'Wrong-Password-1'), BAD);
    await assertRejects(() => passwordAuth('wrong-pw', ''), BAD);
  });

  test('PreventUserExistenceErrors ENABLED: an unknown user is a wrong password', async () => {
    const { clientId: quiet } = await createPool(idp, {}, { ExplicitAuthFlows: [...PASSWORD_FLOWS], PreventUserExistenceErrors: 'ENABLED' });
    await assertRejects(() => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: quiet, AuthParameters: { USERNAME: 'ghost', PASSWORD: PASSWORD } })), BAD);
  });

  test('lockout: five failures, then even the right password is refused until the lockout passes', async () => {
    await confirmed(clientId, 'locked');
    for (let i = 0; i < 5; i++) await assertRejects(() => passwordAuth('locked', `Wrong-Password-${i}`), BAD);
    await assertRejects(() => passwordAuth('locked'), { type: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    await server.advanceClock(2);
    assert.ok((await passwordAuth('locked')).AuthenticationResult?.AccessToken, 'the right password works once the lockout is over');
    // A success after the lockout starts the count again: one failure is a plain refusal.
    await assertRejects(() => passwordAuth('locked', 'Wrong-Password-x'), BAD);
    assert.ok((await passwordAuth('locked')).AuthenticationResult);
  });

  test('a client with a secret needs SECRET_HASH, over the name sent', async () => {
    const { clientId: secretive, clientSecret } = await createPool(idp, {}, { ExplicitAuthFlows: [...PASSWORD_FLOWS], GenerateSecret: true });
    const hash = (name: string) => secretHash(clientSecret!, name, secretive);
    const auth = (params: Record<string, string>) => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: secretive, AuthParameters: { USERNAME: 'hashed', PASSWORD, ...params } }));
    await assertRejects(() => auth({}), { type: 'NotAuthorizedException', message: `Client ${secretive} is configured with secret but SECRET_HASH was not received` });
    await assertRejects(() => auth({ SECRET_HASH: hash('someone-else') }), { type: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${secretive}` });
  });
});
