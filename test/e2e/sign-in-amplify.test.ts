/** @module Amplify JS v6 (`@aws-amplify/auth` in Node) against the server (spec §5.5, §13.12–14): auto sign-in after confirmation by SRP and by the ConfirmSignUp Session, refresh, sign-out local and global, bad passwords. */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuthError, autoSignIn, confirmSignUp, fetchAuthSession, getCurrentUser, signIn, signOut, signUp } from '@aws-amplify/auth';
import {
  ConfirmSignUpCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { calls, configure, decode, lastCall, operations, restoreFetch, withUnrefTimers } from '../helpers/amplify.ts';
import { assertRejects, userState } from '../helpers/cognito.ts';
import { createPool, PASSWORD, rejection, signUp as sdkSignUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** Amplify debounces autoSignIn for 300 ms and silently drops a second call inside that window. */
async function autoSignInOnce() {
  await sleep(350);
  return autoSignIn();
}

describe('Amplify v6 sign-in', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  afterEach(async () => {
    // Leave Amplify signed out for the next scenario (local sign-out only clears memory if the server is unhappy).
    await signOut().catch(() => undefined);
  });
  after(async () => {
    restoreFetch();
    await server.stop();
  });

  const confirmedUser = async (clientId: string, username: string) => {
    await sdkSignUp(idp, clientId, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
  };

  test('signUp with autoSignIn: true, confirmSignUp, autoSignIn runs SRP with the remembered password', async () => {
    const { poolId, clientId } = await createPool(idp);
    configure(server, poolId, clientId);
    const since = calls.length;

    const signedUp = await withUnrefTimers(() =>
      signUp({ username: 'amp-auto', password: PASSWORD, options: { userAttributes: { email: 'amp-auto@example.com' }, autoSignIn: true } }),
    );
    assert.equal(signedUp.isSignUpComplete, false);
    assert.deepEqual(signedUp.nextStep, {
      signUpStep: 'CONFIRM_SIGN_UP',
      codeDeliveryDetails: { destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
    });
    assert.match(signedUp.userId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u);

    const confirmed = await confirmSignUp({ username: 'amp-auto', confirmationCode: await server.latestCode('amp-auto') });
    assert.deepEqual(confirmed, { isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });

    const signedIn = await autoSignInOnce();
    assert.deepEqual(signedIn, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.deepEqual(operations(since), ['SignUp', 'ConfirmSignUp', 'InitiateAuth', 'RespondToAuthChallenge']);
    const initiate = lastCall('InitiateAuth', since);
    assert.equal(initiate.request.AuthFlow, 'USER_SRP_AUTH');
    assert.deepEqual(Object.keys(initiate.request.AuthParameters).sort(), ['SRP_A', 'USERNAME']);
    assert.equal(initiate.status, 200);
    assert.equal(initiate.response.ChallengeName, 'PASSWORD_VERIFIER');
    assert.deepEqual(Object.keys(initiate.response.ChallengeParameters).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    const respond = lastCall('RespondToAuthChallenge', since);
    assert.equal(respond.request.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(respond.status, 200);
    assert.ok(respond.response.AuthenticationResult?.AccessToken);

    const { tokens } = await fetchAuthSession();
    assert.ok(tokens, 'fetchAuthSession has tokens');
    assert.equal(tokens.accessToken.payload.username, 'amp-auto');
    assert.equal(tokens.accessToken.payload.client_id, clientId);
    assert.equal(tokens.idToken?.payload['cognito:username'], 'amp-auto');
    assert.equal(tokens.idToken?.payload.email, 'amp-auto@example.com');
    assert.equal(tokens.idToken?.payload.email_verified, true);
    assert.equal(tokens.idToken?.payload.sub, signedUp.userId);
    assert.equal((await userState(idp, poolId, 'amp-auto')).status, 'CONFIRMED');
  });

  test('autoSignIn with authFlowType USER_AUTH redeems the Session ConfirmSignUp returned', async () => {
    const { poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] });
    configure(server, poolId, clientId);
    const since = calls.length;

    const signedUp = await withUnrefTimers(() =>
      signUp({
        username: 'amp-userauth',
        password: PASSWORD,
        options: { userAttributes: { email: 'amp-userauth@example.com' }, autoSignIn: { authFlowType: 'USER_AUTH' } },
      }),
    );
    assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    const confirmed = await confirmSignUp({ username: 'amp-userauth', confirmationCode: await server.latestCode('amp-userauth') });
    assert.equal(confirmed.nextStep.signUpStep, 'COMPLETE_AUTO_SIGN_IN');

    const signedIn = await autoSignInOnce();
    assert.deepEqual(signedIn, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    // One InitiateAuth with the session and no credentials; no challenge round trip.
    assert.deepEqual(operations(since), ['SignUp', 'ConfirmSignUp', 'InitiateAuth']);
    const session = lastCall('ConfirmSignUp', since).response.Session as string;
    assert.ok(session && session.length >= 20, 'ConfirmSignUp returned a Session');
    const initiate = lastCall('InitiateAuth', since);
    assert.equal(initiate.request.AuthFlow, 'USER_AUTH');
    assert.deepEqual(initiate.request.AuthParameters, { USERNAME: 'amp-userauth' });
    assert.equal(initiate.request.Session, session);
    assert.equal(initiate.status, 200);
    assert.equal(initiate.response.ChallengeName, undefined);
    assert.deepEqual(Object.keys(initiate.response.AuthenticationResult).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'RefreshToken', 'TokenType']);

    const { tokens } = await fetchAuthSession();
    assert.equal(tokens?.accessToken.payload.username, 'amp-userauth');
    assert.equal(tokens?.idToken?.payload.aud, clientId);
    assert.deepEqual(await getCurrentUser(), {
      username: 'amp-userauth',
      userId: signedUp.userId,
      signInDetails: { loginId: 'amp-userauth', authFlowType: 'USER_AUTH' },
    });
    // The session was used up by that sign-in (spec §5.5, §7.6).
    await assertRejects(
      () => idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'amp-userauth' }, Session: session })),
      { type: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' },
    );
  });

  test('signIn (SRP), forced refresh through GetTokensFromRefreshToken, getCurrentUser, local and global signOut', async () => {
    const { poolId, clientId } = await createPool(idp);
    await confirmedUser(clientId, 'amp-user');
    configure(server, poolId, clientId);
    let since = calls.length;

    assert.deepEqual(await signIn({ username: 'amp-user', password: PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    assert.deepEqual(operations(since), ['InitiateAuth', 'RespondToAuthChallenge']);
    assert.equal(lastCall('InitiateAuth', since).request.AuthFlow, 'USER_SRP_AUTH');
    const first = (await fetchAuthSession()).tokens;
    assert.ok(first);
    const firstRefresh = lastCall('RespondToAuthChallenge', since).response.AuthenticationResult.RefreshToken as string;
    assert.ok(first.accessToken.payload.origin_jti, 'origin_jti present, so Amplify revokes on local sign-out');

    since = calls.length;
    const refreshed = (await fetchAuthSession({ forceRefresh: true })).tokens;
    assert.ok(refreshed, 'the refresh kept the user signed in');
    assert.deepEqual(operations(since), ['GetTokensFromRefreshToken']);
    const refreshCall = lastCall('GetTokensFromRefreshToken', since);
    assert.equal(refreshCall.status, 200, JSON.stringify(refreshCall.response));
    assert.equal(refreshCall.request.ClientId, clientId);
    assert.equal(refreshCall.request.RefreshToken, firstRefresh);
    assert.deepEqual(Object.keys(refreshCall.response.AuthenticationResult).sort(), ['AccessToken', 'ExpiresIn', 'IdToken', 'TokenType'], 'no rotation: no new refresh token');
    assert.notEqual(refreshed.accessToken.toString(), first.accessToken.toString());
    assert.notEqual(refreshed.idToken?.toString(), first.idToken?.toString());
    assert.notEqual(refreshed.accessToken.payload.jti, first.accessToken.payload.jti);
    assert.equal(refreshed.accessToken.payload.origin_jti, first.accessToken.payload.origin_jti);
    assert.equal(refreshed.accessToken.payload.username, 'amp-user');
    // The refreshed access token works on the server.
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: refreshed.accessToken.toString() }))).Username, 'amp-user');

    const current = await getCurrentUser();
    assert.deepEqual(current, {
      username: 'amp-user',
      userId: first.idToken?.payload.sub,
      signInDetails: { loginId: 'amp-user', authFlowType: 'USER_SRP_AUTH' },
    });

    // Local sign-out: Amplify revokes the refresh token (RevokeToken), which takes its access tokens with it.
    since = calls.length;
    await signOut();
    assert.deepEqual(operations(since), ['RevokeToken']);
    assert.equal(lastCall('RevokeToken', since).status, 200, JSON.stringify(lastCall('RevokeToken', since).response));
    assert.equal((await fetchAuthSession()).tokens, undefined);
    assert.equal((await rejection(() => getCurrentUser())).name, 'UserUnAuthenticatedException');
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: refreshed.accessToken.toString() })), {
      type: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    await assertRejects(() => idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: firstRefresh })), {
      type: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });

    // Sign in again, then sign out globally.
    assert.equal((await signIn({ username: 'amp-user', password: PASSWORD })).isSignedIn, true);
    const second = (await fetchAuthSession()).tokens;
    assert.ok(second);
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: second.accessToken.toString() }))).Username, 'amp-user');
    since = calls.length;
    await signOut({ global: true });
    assert.deepEqual(operations(since), ['GlobalSignOut']);
    const globalCall = lastCall('GlobalSignOut', since);
    assert.equal(globalCall.status, 200, JSON.stringify(globalCall.response));
    assert.equal(globalCall.request.AccessToken, second.accessToken.toString());
    assert.equal((await fetchAuthSession()).tokens, undefined);
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: second.accessToken.toString() })), {
      type: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
  });

  test('signIn with a wrong password rejects with NotAuthorizedException; an unconfirmed user is sent to CONFIRM_SIGN_UP', async () => {
    const { poolId, clientId } = await createPool(idp);
    await confirmedUser(clientId, 'amp-wrong');
    await sdkSignUp(idp, clientId, 'amp-unconfirmed');
    configure(server, poolId, clientId);

    const since = calls.length;
    const error = (await rejection(() => signIn({ username: 'amp-wrong', password: 'Wrong-Horse-0' }))) as Error & { metadata?: { httpStatusCode?: number } };
    assert.ok(error instanceof AuthError, 'Amplify wraps service errors in AuthError');
    assert.equal(error.name, 'NotAuthorizedException');
    assert.equal(error.message, 'Incorrect username or password.');
    assert.equal(error.metadata?.httpStatusCode, 400);
    // SRP step 1 succeeded; the proof of the wrong password was refused.
    assert.deepEqual(operations(since), ['InitiateAuth', 'RespondToAuthChallenge']);
    assert.equal(lastCall('RespondToAuthChallenge', since).response.__type, 'NotAuthorizedException');
    assert.equal((await fetchAuthSession()).tokens, undefined);

    // UserNotConfirmedException is turned into a next step by Amplify, not thrown.
    const unconfirmed = await signIn({ username: 'amp-unconfirmed', password: PASSWORD });
    assert.deepEqual(unconfirmed, { isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_UP' } });

    // The right password still works after one failure.
    assert.equal((await signIn({ username: 'amp-wrong', password: PASSWORD })).isSignedIn, true);
    assert.equal(decode((await fetchAuthSession()).tokens!.accessToken.toString()).username, 'amp-wrong');
  });
});
