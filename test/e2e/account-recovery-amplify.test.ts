/**
 * @module Amplify JS v6 (`@aws-amplify/auth` in Node) against the server for password recovery
 * (sign-in spec §11): resetPassword → confirmResetPassword → signIn, the RESET_PASSWORD sign-in step
 * after AdminResetUserPassword, and updatePassword for the signed-in user.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Amplify, ConsoleLogger } from '@aws-amplify/core';
import { AuthError, confirmResetPassword, resetPassword, signIn, signOut, updatePassword } from '@aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito';
import { AdminResetUserPasswordCommand, ConfirmSignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { userState } from '../helpers/cognito.ts';
import { createPool, PASSWORD, rejection, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const NEW_PASSWORD = 'Battery-Staple-7';

// Amplify warns on every configure that the endpoint is custom; that is the point here.
ConsoleLogger.LOG_LEVEL = 'ERROR';

/** Amplify's Cognito token provider wired in as the `aws-amplify` umbrella package does; tokens live in memory in Node. */
function configure(server: TestServer, userPoolId: string, userPoolClientId: string): void {
  const auth = { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: server.url } };
  cognitoUserPoolsTokenProvider.setAuthConfig(auth);
  Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
}

describe('Amplify v6 password recovery', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp));
  });
  afterEach(async () => {
    await signOut().catch(() => undefined);
  });
  after(() => server.stop());

  const confirmedUser = async (username: string) => {
    await signUp(idp, clientId, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
  };

  test('resetPassword, confirmResetPassword, then signIn (SRP) with the new password', async () => {
    configure(server, poolId, clientId);
    await confirmedUser('amp-forgot');
    const started = await resetPassword({ username: 'amp-forgot' });
    assert.deepEqual(started, {
      isPasswordReset: false,
      nextStep: {
        resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE',
        codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'a***@e***', attributeName: 'email' },
      },
    });
    const wrong = await rejection(() => confirmResetPassword({ username: 'amp-forgot', confirmationCode: '00000x', newPassword: NEW_PASSWORD }));
    assert.ok(wrong instanceof AuthError);
    assert.deepEqual([wrong.name, wrong.message], ['CodeMismatchException', 'Invalid verification code provided, please try again.']);
    await confirmResetPassword({ username: 'amp-forgot', confirmationCode: await server.latestCode('amp-forgot'), newPassword: NEW_PASSWORD });
    assert.deepEqual(await signIn({ username: 'amp-forgot', password: NEW_PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await signOut();
    const old = await rejection(() => signIn({ username: 'amp-forgot', password: PASSWORD }));
    assert.deepEqual([old.name, old.message], ['NotAuthorizedException', 'Incorrect username or password.']);
  });

  test('after AdminResetUserPassword, signIn answers RESET_PASSWORD and confirmResetPassword finishes it', async () => {
    configure(server, poolId, clientId);
    await confirmedUser('amp-admin-reset');
    await idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'amp-admin-reset' }));
    assert.deepEqual(await signIn({ username: 'amp-admin-reset', password: PASSWORD }), { isSignedIn: false, nextStep: { signInStep: 'RESET_PASSWORD' } });
    await confirmResetPassword({ username: 'amp-admin-reset', confirmationCode: await server.latestCode('amp-admin-reset'), newPassword: NEW_PASSWORD });
    assert.equal((await userState(idp, poolId, 'amp-admin-reset')).status, 'CONFIRMED');
    assert.deepEqual(await signIn({ username: 'amp-admin-reset', password: NEW_PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  test('updatePassword for the signed-in user; a wrong old password is NotAuthorized', async () => {
    configure(server, poolId, clientId);
    await confirmedUser('amp-update');
    await signIn({ username: 'amp-update', password: PASSWORD });
    const wrong = await rejection(() => updatePassword({ oldPassword: 'Wrong-Horse-0', newPassword: NEW_PASSWORD }));
    assert.deepEqual([wrong.name, wrong.message], ['NotAuthorizedException', 'Incorrect username or password.']);
    await updatePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    await signOut();
    assert.deepEqual(await signIn({ username: 'amp-update', password: NEW_PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });
});
