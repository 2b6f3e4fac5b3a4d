/**
 * @module The whole life of an account through Amplify JS v6 alone, as an app's user lives it: sign
 * up, confirm, sign in, change the email and verify it, forget and reset the password, join a group
 * (the one step an app's admin takes, through the SDK) and see it in the token, delete the account.
 * The e2e suite runs this file on SQLite and again on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AuthError,
  confirmResetPassword,
  confirmSignUp,
  confirmUserAttribute,
  deleteUser,
  fetchAuthSession,
  fetchUserAttributes,
  resetPassword,
  signIn,
  signOut,
  signUp,
  updatePassword,
  updateUserAttributes,
} from '@aws-amplify/auth';
import { AdminAddUserToGroupCommand, AdminGetUserCommand, CreateGroupCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { calls, configure, operations, restoreFetch } from '../helpers/amplify.ts';
import { assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const NEW_PASSWORD = 'Battery-Staple-7';
const RESET_PASSWORD = 'Tr0ubadour-and-3';

/** Amplify's error for a call the server refused: its name is the Cognito `__type`. */
async function amplifyRefusal(action: () => Promise<unknown>): Promise<AuthError> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof AuthError, `expected an AuthError, got ${String(error)}`);
    return error;
  }
  throw new Error('expected Amplify to refuse, but the call succeeded');
}

describe('an account from sign-up to deletion, through Amplify v6', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  after(async () => {
    await signOut().catch(() => undefined);
    restoreFetch();
    await server.stop();
  });

  test('sign up, confirm, sign in, re-verify a new email, reset the password, join a group, delete the account', async () => {
    const { poolId, clientId } = await createPool(idp, { AutoVerifiedAttributes: ['email'], AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] } });
    configure(server, poolId, clientId);
    const since = calls.length;
    const username = 'life';

    // Sign up and confirm.
    const signedUp = await signUp({ username, password: PASSWORD, options: { userAttributes: { email: 'life@example.com' } } });
    assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    const confirmed = await confirmSignUp({ username, confirmationCode: await server.latestCode(username) });
    assert.equal(confirmed.isSignUpComplete, true);

    // Sign in (SRP, Amplify's default) and read the attributes.
    assert.deepEqual(await signIn({ username, password: PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const attributes = await fetchUserAttributes();
    assert.equal(attributes.email, 'life@example.com');
    assert.equal(attributes.email_verified, 'true');
    assert.equal(attributes.sub, signedUp.userId);

    // Change the email: a code goes to the new address, the attribute is unverified until it is confirmed.
    const codesBefore = (await server.outbox(username)).length;
    const updated = await updateUserAttributes({ userAttributes: { email: 'life.new@example.com' } });
    assert.equal(updated.email?.isUpdated, false);
    assert.equal(updated.email?.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
    assert.deepEqual(updated.email?.nextStep.codeDeliveryDetails, { destination: 'l***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' });
    const sent = await server.outbox(username);
    assert.equal(sent.length, codesBefore + 1, 'one verification message was queued');
    assert.equal(sent.at(-1)?.destination, 'life.new@example.com');
    assert.equal((await fetchUserAttributes()).email_verified, 'false');
    await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: await server.latestCode(username) });
    const reverified = await fetchUserAttributes();
    assert.equal(reverified.email, 'life.new@example.com');
    assert.equal(reverified.email_verified, 'true');

    // Change the password while signed in, then forget it and reset it by a code to the new email.
    await updatePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    await signOut();
    const reset = await resetPassword({ username });
    assert.equal(reset.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
    assert.deepEqual(reset.nextStep.codeDeliveryDetails, { destination: 'l***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' });
    assert.equal((await server.outbox(username)).at(-1)?.destination, 'life.new@example.com');
    const wrong = await amplifyRefusal(() => confirmResetPassword({ username, confirmationCode: '000000', newPassword: RESET_PASSWORD }));
    assert.equal(wrong.name, 'CodeMismatchException');
    await confirmResetPassword({ username, confirmationCode: await server.latestCode(username), newPassword: RESET_PASSWORD });
    const stale = await amplifyRefusal(() => signIn({ username, password: NEW_PASSWORD }));
    assert.equal(stale.name, 'NotAuthorizedException');

    // An admin puts the user in a group; the next sign-in's tokens carry it.
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Precedence: 1 }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: 'editors' }));
    assert.deepEqual(await signIn({ username, password: RESET_PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const { tokens } = await fetchAuthSession();
    assert.deepEqual(tokens?.accessToken.payload['cognito:groups'], ['editors']);
    assert.deepEqual(tokens?.idToken?.payload['cognito:groups'], ['editors']);
    assert.equal(tokens?.idToken?.payload.email, 'life.new@example.com');

    // Delete the account: it is gone, and its password no longer signs anybody in.
    await deleteUser();
    await assertRejects(() => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })), {
      type: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    const gone = await amplifyRefusal(() => signIn({ username, password: RESET_PASSWORD }));
    assert.equal(gone.name, 'UserNotFoundException');

    const made = operations(since);
    for (const operation of ['SignUp', 'ConfirmSignUp', 'InitiateAuth', 'RespondToAuthChallenge', 'GetUser', 'UpdateUserAttributes', 'VerifyUserAttribute', 'ChangePassword', 'ForgotPassword', 'ConfirmForgotPassword', 'DeleteUser']) {
      assert.ok(made.includes(operation), `Amplify called ${operation}`);
    }
    // The refusals above were the only ones, and each was a modelled error, not an unknown operation.
    const refused = calls.slice(since).filter((c) => c.status !== 200);
    assert.deepEqual(
      refused.map((c) => [c.operation, c.status, c.response.__type]),
      [
        ['ConfirmForgotPassword', 400, 'CodeMismatchException'],
        ['RespondToAuthChallenge', 400, 'NotAuthorizedException'],
        ['InitiateAuth', 400, 'UserNotFoundException'],
      ],
    );
  });
});
