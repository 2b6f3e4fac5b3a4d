/**
 * @module Amplify JS v6 (`@aws-amplify/auth` in Node) and groups: the group claims an app reads from
 * `fetchAuthSession`, fresh after a forced refresh, and `deleteUser` ending the account and the
 * session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Amplify, ConsoleLogger } from '@aws-amplify/core';
import { deleteUser, fetchAuthSession, getCurrentUser, signIn, signOut } from '@aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito';
import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  GetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD, rejection, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Amplify warns on every configure that the endpoint is custom; that is the point here.
ConsoleLogger.LOG_LEVEL = 'ERROR';

const ROLE = 'arn:aws:iam::123456789012:role/amplify-editors';

describe('Amplify v6 and groups', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    let clientId: string;
    ({ poolId, clientId } = await createPool(idp));
    // As the umbrella `aws-amplify` package would wire it: Cognito's token provider, tokens in memory.
    const auth = { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } };
    cognitoUserPoolsTokenProvider.setAuthConfig(auth);
    Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', RoleArn: ROLE, Precedence: 1 }));
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'viewers' }));
    await signUp(idp, clientId, 'amp-grouped');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'amp-grouped', ConfirmationCode: await server.latestCode('amp-grouped') }));
    for (const GroupName of ['editors', 'viewers']) await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'amp-grouped', GroupName }));
  });
  after(async () => {
    await signOut().catch(() => undefined);
    await server.stop();
  });

  test('fetchAuthSession shows the groups in the ID and access tokens, and the current ones after a forced refresh', async () => {
    const result = await signIn({ username: 'amp-grouped', password: PASSWORD });
    assert.equal(result.isSignedIn, true);
    const { tokens } = await fetchAuthSession();
    assert.deepEqual(tokens?.idToken?.payload['cognito:groups'], ['editors', 'viewers']);
    assert.deepEqual(tokens?.idToken?.payload['cognito:roles'], [ROLE]);
    assert.equal(tokens?.idToken?.payload['cognito:preferred_role'], ROLE);
    assert.deepEqual(tokens?.accessToken.payload['cognito:groups'], ['editors', 'viewers']);

    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: 'amp-grouped', GroupName: 'editors' }));
    const refreshed = (await fetchAuthSession({ forceRefresh: true })).tokens;
    assert.deepEqual(refreshed?.idToken?.payload['cognito:groups'], ['viewers']);
    assert.equal(refreshed?.idToken?.payload['cognito:roles'], undefined);
    assert.equal(refreshed?.idToken?.payload['cognito:preferred_role'], undefined);
  });

  test('deleteUser deletes the account and ends the session', async () => {
    const { tokens } = await fetchAuthSession();
    const accessToken = tokens!.accessToken.toString();
    await deleteUser();
    await assertRejects(() => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'amp-grouped' })), { type: 'UserNotFoundException', message: 'User does not exist.' });
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: accessToken })), { type: 'UserNotFoundException', message: 'User does not exist.' });
    assert.equal((await fetchAuthSession()).tokens, undefined, 'Amplify forgot the tokens');
    const error = await rejection(() => getCurrentUser());
    assert.equal(error.name, 'UserUnAuthenticatedException');
  });
});
