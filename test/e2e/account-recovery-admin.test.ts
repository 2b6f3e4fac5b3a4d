/**
 * @module The administrator's and the signed-in user's password operations through the SDK v3
 * (sign-in spec §11): AdminResetUserPassword (RESET_REQUIRED until ConfirmForgotPassword),
 * AdminSetUserPassword (permanent or temporary; a permanent one confirms an unconfirmed user and
 * activates its aliases), and ChangePassword with its counted wrong previous passwords and the
 * tokens it leaves valid.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { functionArn } from '../fixtures/trigger-fixtures.ts';
import { AWS_ERRORS, assertRejects, userState, writeConfig, writeModule } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const NEW_PASSWORD = 'Battery-Staple-7';
const BAD = AWS_ERRORS.badCredentials;
const LIMIT = AWS_ERRORS.attemptLimit;
const NOT_FOUND = AWS_ERRORS.userNotFound;

describe('AdminResetUserPassword, AdminSetUserPassword and ChangePassword', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
  });
  after(() => server.stop());

  const confirmed = async (username: string) => {
    await signUp(idp, clientId, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
  };
  const signIn = (USERNAME: string, PASSWORD: string) =>
    idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME, PASSWORD } }));
  const accessToken = async (username: string, password = PASSWORD) => (await signIn(username, password)).AuthenticationResult!.AccessToken!;
  const change = (AccessToken: string, PreviousPassword: string | undefined, ProposedPassword = NEW_PASSWORD) =>
    idp.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword }));
  const adminSet = (Username: string, Password: string, Permanent?: boolean) => idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password, Permanent }));

  describe('AdminResetUserPassword', () => {
    test('RESET_REQUIRED with a code sent; sign-in says PasswordResetRequired until ConfirmForgotPassword, then CONFIRMED', async () => {
      await confirmed('reset-me');
      await idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'reset-me' }));
      assert.equal((await userState(idp, poolId, 'reset-me')).status, 'RESET_REQUIRED');
      const code = await server.latestCode('reset-me');
      assert.match(code, /^[0-9]{6}$/u);
      await assertRejects(() => signIn('reset-me', PASSWORD), { type: 'PasswordResetRequiredException', message: 'Password reset required for the user' });

      await idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'reset-me', ConfirmationCode: code, Password: NEW_PASSWORD }));
      assert.equal((await userState(idp, poolId, 'reset-me')).status, 'CONFIRMED');
      assert.ok((await signIn('reset-me', NEW_PASSWORD)).AuthenticationResult);
      await assertRejects(() => signIn('reset-me', PASSWORD), BAD);
    });

    test('unknown user, temporary password, and no verified channel are refused', async () => {
      await assertRejects(() => idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'nobody' })), NOT_FOUND);
      await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'invited', UserAttributes: [{ Name: 'email', Value: 'i@example.com' }, { Name: 'email_verified', Value: 'true' }], MessageAction: 'SUPPRESS' }));
      await assertRejects(() => idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'invited' })), {
        type: 'NotAuthorizedException',
        message: 'User password cannot be reset in the current state.',
      });
      await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'unverified', UserAttributes: [{ Name: 'email', Value: 'u@example.com' }], MessageAction: 'SUPPRESS' }));
      await adminSet('unverified', PASSWORD, true);
      await assertRejects(() => idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'unverified' })), {
        type: 'InvalidParameterException',
        message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
      });
      assert.equal((await userState(idp, poolId, 'unverified')).status, 'CONFIRMED', 'a refusal leaves the status alone');
    });

    test('a pool with admin_only recovery cannot send reset codes', async () => {
      const admin = await createPool(idp, { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } });
      await idp.send(new AdminCreateUserCommand({ UserPoolId: admin.poolId, Username: 'held', UserAttributes: [{ Name: 'email', Value: 'h@example.com' }, { Name: 'email_verified', Value: 'true' }], MessageAction: 'SUPPRESS' }));
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: admin.poolId, Username: 'held', Password: PASSWORD, Permanent: true }));
      await assertRejects(() => idp.send(new AdminResetUserPasswordCommand({ UserPoolId: admin.poolId, Username: 'held' })), {
        type: 'InvalidParameterException',
        message: 'The user pool does not have self-service account recovery configured.',
      });
    });
  });

  describe('AdminSetUserPassword', () => {
    test('Permanent: CONFIRMED, the new password signs in, a pending reset is over', async () => {
      await confirmed('set-permanent');
      await idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'set-permanent' }));
      const code = await server.latestCode('set-permanent');
      await adminSet('set-permanent', NEW_PASSWORD, true);
      assert.equal((await userState(idp, poolId, 'set-permanent')).status, 'CONFIRMED');
      assert.ok((await signIn('set-permanent', NEW_PASSWORD)).AuthenticationResult);
      await assertRejects(() => idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'set-permanent', ConfirmationCode: code, Password: 'Other-Pass-8' })), {
        type: 'ExpiredCodeException',
        message: 'Invalid code provided, please request a code again.',
      });
    });

    test('not permanent: FORCE_CHANGE_PASSWORD, and sign-in with it asks for a new password', async () => {
      await confirmed('set-temporary');
      await adminSet('set-temporary', 'Temporary-Pass-3');
      assert.equal((await userState(idp, poolId, 'set-temporary')).status, 'FORCE_CHANGE_PASSWORD');
      const out = await signIn('set-temporary', 'Temporary-Pass-3');
      assert.equal(out.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    });

    test('the temporary password gets a fresh validity window', async () => {
      await confirmed('set-window');
      await server.advanceClock(6 * 24 * 60 * 60);
      await adminSet('set-window', 'Temporary-Pass-3');
      await server.advanceClock(2 * 24 * 60 * 60);
      assert.equal((await signIn('set-window', 'Temporary-Pass-3')).ChallengeName, 'NEW_PASSWORD_REQUIRED', 'seven days count from the set, not from sign-up');
    });

    test('policy, unknown user; a permanent password also clears the lockout', async () => {
      await assertRejects(() => adminSet('nobody', NEW_PASSWORD, true), NOT_FOUND);
      await confirmed('set-locked');
      await assertRejects(() => adminSet('set-locked', 'short', true), { type: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
      for (let i = 0; i < 6; i++) await signIn('set-locked', 'Wrong-Password-1').catch(() => {});
      await assertRejects(() => signIn('set-locked', PASSWORD), { type: 'NotAuthorizedException', message: 'Password attempts exceeded' });
      await adminSet('set-locked', NEW_PASSWORD, true);
      assert.ok((await signIn('set-locked', NEW_PASSWORD)).AuthenticationResult);
    });
  });

  describe('ChangePassword', () => {
    test('with the right previous password: replaced, and the tokens already issued stay valid', async () => {
      await confirmed('changer');
      const token = await accessToken('changer');
      assert.equal((await change(token, PASSWORD)).$metadata.httpStatusCode, 200);
      assert.equal((await idp.send(new GetUserCommand({ AccessToken: token }))).Username, 'changer');
      assert.ok((await signIn('changer', NEW_PASSWORD)).AuthenticationResult);
      await assertRejects(() => signIn('changer', PASSWORD), BAD);
    });

    test('wrong previous passwords are counted like sign-in failures, until LimitExceeded', async () => {
      await confirmed('guesser');
      const token = await accessToken('guesser');
      for (let i = 0; i < 5; i++) await assertRejects(() => change(token, `Wrong-Password-${i}`), BAD);
      await assertRejects(() => change(token, PASSWORD), LIMIT);
      await assertRejects(() => signIn('guesser', PASSWORD), { type: 'NotAuthorizedException', message: 'Password attempts exceeded' });
      await server.advanceClock(16 * 60);
      await change(token, PASSWORD);
      assert.ok((await signIn('guesser', NEW_PASSWORD)).AuthenticationResult);
    });

    test('the proposed password meets the policy; the previous one is required; a bad token is refused', async () => {
      await confirmed('careful');
      const token = await accessToken('careful');
      await assertRejects(() => change(token, PASSWORD, 'short'), { type: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
      await assertRejects(() => change(token, undefined), { type: 'InvalidParameterException', message: 'Missing required parameter PreviousPassword' });
      await assertRejects(() => change('not-a-token', PASSWORD), { type: 'NotAuthorizedException', message: 'Invalid Access Token' });
      assert.ok((await signIn('careful', PASSWORD)).AuthenticationResult, 'nothing was changed');
    });
  });
});

// PreSignUp may verify the email and leave the user UNCONFIRMED: the alias then waits for confirmation.
const VERIFY_ONLY = 'export const handler = async (event) => ({ ...event, response: { ...event.response, autoVerifyEmail: true } });\n';

describe('AdminSetUserPassword Permanent on an UNCONFIRMED user', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    const arn = functionArn('verify-only');
    server = await startTestServer({ args: ['--config', writeConfig({ functions: { [arn]: { module: writeModule(VERIFY_ONLY) } } })] });
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, { AliasAttributes: ['email'], LambdaConfig: { PreSignUp: arn } }, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
  });
  after(() => server.stop());

  const login = (USERNAME: string, PASSWORD: string) =>
    idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME, PASSWORD } }));
  const set = (Username: string) => idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: NEW_PASSWORD, Permanent: true }));

  test('confirms the user and activates its verified email alias, as ConfirmSignUp would', async () => {
    await signUp(idp, clientId, 'late-one', 'late@example.com');
    assert.deepEqual((await userState(idp, poolId, 'late-one')).status, 'UNCONFIRMED');
    await assertRejects(() => login('late@example.com', PASSWORD), NOT_FOUND);
    await set('late-one');
    assert.equal((await userState(idp, poolId, 'late-one')).status, 'CONFIRMED');
    assert.ok((await login('late@example.com', NEW_PASSWORD)).AuthenticationResult, 'the email signs in as an alias');
  });

  test('an alias another user holds refuses it with AliasExistsException and changes nothing', async () => {
    await signUp(idp, clientId, 'owner', 'taken@example.com');
    await set('owner');
    await signUp(idp, clientId, 'copycat', 'taken@example.com');
    await assertRejects(() => set('copycat'), { type: 'AliasExistsException', message: 'An account with the email already exists.' });
    assert.equal((await userState(idp, poolId, 'copycat')).status, 'UNCONFIRMED');
    await assertRejects(() => login('copycat', NEW_PASSWORD), { type: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    assert.ok((await login('taken@example.com', NEW_PASSWORD)).AuthenticationResult, 'the alias stays with its owner');
  });
});
