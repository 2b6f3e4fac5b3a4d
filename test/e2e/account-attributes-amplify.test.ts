/**
 * @module Amplify JS v6 (`@aws-amplify/auth` in Node) changing the signed-in user's attributes:
 * updateUserAttributes reports CONFIRM_ATTRIBUTE_WITH_CODE for the new email and DONE for the
 * rest, confirmUserAttribute redeems the code, fetchUserAttributes sees each step; also
 * sendUserAttributeVerificationCode and deleteUserAttributes.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Amplify, ConsoleLogger } from '@aws-amplify/core';
import {
  AuthError,
  confirmUserAttribute,
  deleteUserAttributes,
  fetchUserAttributes,
  sendUserAttributeVerificationCode,
  signIn,
  signOut,
  updateUserAttributes,
} from '@aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito';
import { ConfirmSignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, PASSWORD, rejection, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Amplify warns on every configure that the endpoint is custom; that is the point here.
ConsoleLogger.LOG_LEVEL = 'ERROR';

/** As in the sign-in suite: Cognito's token provider wired in by hand, tokens in memory. */
function configure(server: TestServer, userPoolId: string, userPoolClientId: string): void {
  const auth = { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: server.url } };
  cognitoUserPoolsTokenProvider.setAuthConfig(auth);
  Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
}

describe('Amplify v6 attribute changes', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  afterEach(async () => {
    await signOut().catch(() => undefined);
  });
  after(() => server.stop());

  const confirmedUser = async (clientId: string, username: string) => {
    await signUp(idp, clientId, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
  };

  test('updateUserAttributes → confirmUserAttribute, with the old email kept until then', async () => {
    const { poolId, clientId } = await createPool(idp, {
      AliasAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    await confirmedUser(clientId, 'amp-attr');
    configure(server, poolId, clientId);
    assert.equal((await signIn({ username: 'amp-attr', password: PASSWORD })).isSignedIn, true);

    const result = await updateUserAttributes({ userAttributes: { email: 'amp-attr@new.example', given_name: 'Amy' } });
    assert.deepEqual(result.email, {
      isUpdated: false,
      nextStep: {
        updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE',
        codeDeliveryDetails: { attributeName: 'email', deliveryMedium: 'EMAIL', destination: 'a***@n***' },
      },
    });
    assert.deepEqual(result.given_name, { isUpdated: true, nextStep: { updateAttributeStep: 'DONE' } });
    let attributes = await fetchUserAttributes();
    assert.deepEqual([attributes.email, attributes.email_verified, attributes.given_name], ['amp-attr@example.com', 'true', 'Amy']);

    const code = await server.latestCode('amp-attr');
    const wrong = (await rejection(() => confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code === '000000' ? '111111' : '000000' }))) as AuthError;
    assert.ok(wrong instanceof AuthError);
    assert.equal(wrong.name, 'CodeMismatchException');
    await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code });
    attributes = await fetchUserAttributes();
    assert.deepEqual([attributes.email, attributes.email_verified], ['amp-attr@new.example', 'true']);
  });

  test('sendUserAttributeVerificationCode, and updateUserAttributes applying at once without the setting; deleteUserAttributes', async () => {
    const { poolId, clientId } = await createPool(idp);
    await confirmedUser(clientId, 'amp-plain');
    configure(server, poolId, clientId);
    await signIn({ username: 'amp-plain', password: PASSWORD });

    const result = await updateUserAttributes({ userAttributes: { email: 'amp-plain@new.example' } });
    assert.equal(result.email?.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
    let attributes = await fetchUserAttributes();
    assert.deepEqual([attributes.email, attributes.email_verified], ['amp-plain@new.example', 'false']);

    const resent = await sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
    assert.deepEqual(resent, { attributeName: 'email', deliveryMedium: 'EMAIL', destination: 'a***@n***' });
    const message = (await server.outbox('amp-plain')).pop()!;
    assert.equal(message.destination, 'amp-plain@new.example');
    await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: message.code! });
    assert.equal((await fetchUserAttributes()).email_verified, 'true');

    await updateUserAttributes({ userAttributes: { nickname: 'ap' } });
    assert.equal((await fetchUserAttributes()).nickname, 'ap');
    await deleteUserAttributes({ userAttributeKeys: ['nickname'] });
    attributes = await fetchUserAttributes();
    assert.equal(attributes.nickname, undefined);
  });
});
