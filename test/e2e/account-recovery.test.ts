/**
 * @module ForgotPassword and ConfirmForgotPassword through the SDK v3 (sign-in spec §11, §13 item
 * 15): the masked delivery, six-digit codes valid one hour that a new request replaces and a
 * success consumes, wrong and expired codes, the limits, the new password for both the password
 * flow and SRP, and twenty racing redemptions of one code of which exactly one succeeds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects, userState } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { outcomes, tally } from '../helpers/outcomes.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { srpClient } from '../helpers/srp-client.ts';

const NEW_PASSWORD = 'Battery-Staple-7';
const MISMATCH = AWS_ERRORS.codeMismatch;
const EXPIRED = AWS_ERRORS.codeExpired;
const LIMIT = AWS_ERRORS.attemptLimit;
const BAD = AWS_ERRORS.badCredentials;
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

describe('ForgotPassword and ConfirmForgotPassword', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, { AliasAttributes: ['email'] }, { ExplicitAuthFlows: [...FLOWS] }));
  });
  after(() => server.stop());

  const confirmed = async (username: string, email = `${username}@example.com`) => {
    await signUp(idp, clientId, username, email);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
  };
  const forgot = (Username: string, ClientId = clientId) => idp.send(new ForgotPasswordCommand({ ClientId, Username }));
  const confirmForgot = (Username: string, ConfirmationCode: string, Password = NEW_PASSWORD, ClientId = clientId) =>
    idp.send(new ConfirmForgotPasswordCommand({ ClientId, Username, ConfirmationCode, Password }));
  const signIn = (USERNAME: string, PASSWORD: string) =>
    idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME, PASSWORD } }));
  const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

  test('the code goes to the verified email, masked; six digits; the new password signs in and the old one no longer does', async () => {
    await confirmed('alice', 'alice@example.com');
    const out = await forgot('alice');
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'a***@e***' });
    const code = await server.latestCode('alice');
    assert.match(code, /^[0-9]{6}$/u);
    const [, message] = await server.outbox('alice');
    assert.equal(message?.destination, 'alice@example.com');
    assert.equal((await userState(idp, poolId, 'alice')).status, 'CONFIRMED', 'ForgotPassword leaves the status alone');

    assert.deepEqual((await confirmForgot('alice', code)).$metadata.httpStatusCode, 200);
    assert.ok((await signIn('alice', NEW_PASSWORD)).AuthenticationResult?.AccessToken);
    await assertRejects(() => signIn('alice', PASSWORD), BAD);
    await assertRejects(() => confirmForgot('alice', code, 'Another-Pass-5'), EXPIRED);
  });

  test('SRP signs in with the new password: the verifier was replaced with the hash', async () => {
    await confirmed('srp-user');
    await forgot('srp-user');
    await confirmForgot('srp-user', await server.latestCode('srp-user'));
    const srp = await srpClient(poolId);
    const challenge = await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'srp-user', SRP_A: srp.srpA } }));
    const responses = await srp.answer(challenge.ChallengeParameters!, NEW_PASSWORD);
    const done = await idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: challenge.Session, ChallengeResponses: responses }));
    assert.ok(done.AuthenticationResult?.IdToken);
  });

  test('a wrong code is CodeMismatch and leaves the code usable; an alias works as Username', async () => {
    await confirmed('bob', 'bob.builder@example.com');
    await forgot('bob.builder@example.com');
    const code = await server.latestCode('bob');
    await assertRejects(() => confirmForgot('bob', wrongCodeFor(code)), MISMATCH);
    await confirmForgot('bob.builder@example.com', code);
    assert.ok((await signIn('bob', NEW_PASSWORD)).AuthenticationResult);
  });

  test('a new ForgotPassword replaces the earlier code', async () => {
    await confirmed('carol');
    await forgot('carol');
    const first = await server.latestCode('carol');
    await forgot('carol');
    const second = await server.latestCode('carol');
    if (first !== second) await assertRejects(() => confirmForgot('carol', first), MISMATCH);
    await confirmForgot('carol', second);
  });

  test('a code is valid for one hour; without any code the answer is ExpiredCode too', async () => {
    await confirmed('dave');
    await assertRejects(() => confirmForgot('dave', '123456'), EXPIRED);
    await forgot('dave');
    const code = await server.latestCode('dave');
    await server.advanceClock(60 * 60 + 1);
    await assertRejects(() => confirmForgot('dave', code), EXPIRED);
    await forgot('dave');
    await server.advanceClock(59 * 60);
    await confirmForgot('dave', await server.latestCode('dave'));
  });

  test('wrong codes are limited: after five, even the right code gets LimitExceeded', async () => {
    await confirmed('erin');
    await forgot('erin');
    const code = await server.latestCode('erin');
    for (let i = 0; i < 5; i++) await assertRejects(() => confirmForgot('erin', wrongCodeFor(code)), MISMATCH);
    await assertRejects(() => confirmForgot('erin', code), LIMIT);
    await server.advanceClock(60 * 60 + 1);
    await forgot('erin');
    await confirmForgot('erin', await server.latestCode('erin'));
  });

  test('ForgotPassword itself is limited to five an hour per user', async () => {
    await confirmed('frank');
    for (let i = 0; i < 5; i++) await forgot('frank');
    await assertRejects(() => forgot('frank'), LIMIT);
    assert.equal((await server.outbox('frank')).length, 6, 'the confirmation code and five reset codes, no more');
  });

  test('the password policy is checked, and a refusal spends neither the code nor an attempt', async () => {
    await confirmed('grace');
    await forgot('grace');
    const code = await server.latestCode('grace');
    await assertRejects(() => confirmForgot('grace', code, 'short'), { type: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
    await assertRejects(() => confirmForgot('grace', code, 'nouppercase-1!'), {
      type: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    await confirmForgot('grace', code);
  });

  test('ConfirmForgotPassword clears the sign-in lockout', async () => {
    await confirmed('heidi');
    for (let i = 0; i < 6; i++) await signIn('heidi', 'Wrong-Password-1').catch(() => {});
    await assertRejects(() => signIn('heidi', PASSWORD), { type: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    await forgot('heidi');
    await confirmForgot('heidi', await server.latestCode('heidi'));
    assert.ok((await signIn('heidi', NEW_PASSWORD)).AuthenticationResult);
  });

  test('no verified email or phone: InvalidParameter; an unverified one does not count', async () => {
    await signUp(idp, clientId, 'ivan');
    await assertRejects(() => forgot('ivan'), {
      type: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'judy', UserAttributes: [{ Name: 'email', Value: 'judy@example.com' }], MessageAction: 'SUPPRESS' }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'judy', Password: PASSWORD, Permanent: true }));
    assert.equal((await userState(idp, poolId, 'judy')).status, 'CONFIRMED');
    await assertRejects(() => forgot('judy'), { type: 'InvalidParameterException', message: 'Cannot reset password for the user as there is no registered/verified email or phone_number' });
  });

  test('a user with a temporary password cannot reset it', async () => {
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'ken',
        UserAttributes: [{ Name: 'email', Value: 'ken@example.com' }, { Name: 'email_verified', Value: 'true' }],
        MessageAction: 'SUPPRESS',
      }),
    );
    await assertRejects(() => forgot('ken'), { type: 'NotAuthorizedException', message: 'User password cannot be reset in the current state.' });
    assert.equal((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ken' }))).UserStatus, 'FORCE_CHANGE_PASSWORD');
  });

  test('unknown users with existence errors on (LEGACY): UserNotFound from both operations', async () => {
    const notFound = { type: 'UserNotFoundException', message: 'Username/client id combination not found.' };
    await assertRejects(() => forgot('nobody'), notFound);
    await assertRejects(() => confirmForgot('nobody', '123456'), notFound);
  });

  test('twenty simultaneous redemptions of the right code: one succeeds, the others find it used', async () => {
    await confirmed('racer');
    await forgot('racer');
    const code = await server.latestCode('racer');
    const results = await outcomes(Array.from({ length: 20 }, (_, i) => () => confirmForgot('racer', code, `Racing-Pass-${i}x`)));
    assert.deepEqual(tally(results), { ok: 1, [`${EXPIRED.type}: ${EXPIRED.message}`]: 19 });
    const winner = results.findIndex((r) => r.ok);
    assert.ok((await signIn('racer', `Racing-Pass-${winner}x`)).AuthenticationResult, 'the winning password is the one stored');
  });
});
