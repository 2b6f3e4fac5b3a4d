/**
 * @module UpdateUserAttributes and VerifyUserAttribute through the SDK v3, in pools that apply a
 * new email or phone number at once: the value becomes unverified, a six-digit code goes to it,
 * the sign-in alias follows ConfirmSignUp's rules, and the code is judged, limited and consumed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const MISMATCH = AWS_ERRORS.codeMismatch;
const EXPIRED = AWS_ERRORS.codeExpired;
const LIMITED = AWS_ERRORS.attemptLimit;
const NO_USER = AWS_ERRORS.userNotFound;
const FLOWS = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const] };

describe('attribute changes applied at once, and their verification', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ clientId } = await createPool(idp, { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] }, FLOWS));
  });
  after(() => server.stop());

  const signIn = async (login: string, client = clientId) =>
    (await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client, AuthParameters: { USERNAME: login, PASSWORD } }))).AuthenticationResult!
      .AccessToken!;
  /** A confirmed user (email verified by the sign-up code) and their access token. */
  const signedIn = async (username: string, email = `${username}@example.com`, client = clientId, extra: { Name: string; Value: string }[] = []) => {
    const attributes = [{ Name: 'email', Value: email }, ...extra];
    await idp.send(new SignUpCommand({ ClientId: client, Username: username, Password: PASSWORD, UserAttributes: attributes }));
    await idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: username, ConfirmationCode: await server.latestCode(username) }));
    return signIn(username, client);
  };
  const attributesOf = async (AccessToken: string) =>
    Object.fromEntries(((await idp.send(new GetUserCommand({ AccessToken }))).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
  const update = (AccessToken: string, attributes: Record<string, string>) =>
    idp.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }));
  const verify = (AccessToken: string, Code: string, AttributeName = 'email') => idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName, Code }));
  const sent = async (username: string) => (await server.outbox(username)).filter((m) => m.code);

  test('a non-verifiable attribute changes at once: an empty answer, no message', async () => {
    const token = await signedIn('plain-change');
    const before = (await sent('plain-change')).length;
    const out = await update(token, { given_name: 'Grace', family_name: 'Hopper' });
    assert.equal(out.CodeDeliveryDetailsList, undefined);
    const attributes = await attributesOf(token);
    assert.deepEqual([attributes.given_name, attributes.family_name, attributes.email_verified], ['Grace', 'Hopper', 'true']);
    assert.equal((await sent('plain-change')).length, before);
  });

  test('a new email: unverified, a masked delivery, a six-digit code to the new address; verified by the code', async () => {
    const token = await signedIn('mover', 'mover@old.example');
    assert.ok(await signIn('mover@old.example'), 'the verified email is an alias');
    const out = await update(token, { email: 'mover@new.example' });
    assert.deepEqual(out.CodeDeliveryDetailsList, [{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'm***@n***' }]);
    const message = (await sent('mover')).pop()!;
    assert.deepEqual([message.medium, message.destination], ['EMAIL', 'mover@new.example']);
    assert.match(message.code!, /^[0-9]{6}$/u);
    assert.match(message.body, new RegExp(`Your verification code is ${message.code}`, 'u'));
    const attributes = await attributesOf(token);
    assert.deepEqual([attributes.email, attributes.email_verified], ['mover@new.example', 'false']);
    // An unverified value is no alias, and the old value is not the user's any more.
    await assertRejects(() => signIn('mover@old.example'), NO_USER);
    await assertRejects(() => signIn('mover@new.example'), NO_USER);

    await assertRejects(() => verify(token, message.code === '000000' ? '111111' : '000000'), MISMATCH);
    await verify(token, message.code!);
    assert.equal((await attributesOf(token)).email_verified, 'true');
    assert.ok(await signIn('mover@new.example'), 'once verified, the new address is the alias');
  });

  test('VerifyUserAttribute answers {}, sets the flag, claims the alias; the spent code is then expired', async () => {
    const token = await signedIn('verifier', 'verifier@old.example');
    await update(token, { email: 'verifier@new.example' });
    const code = await server.latestCode('verifier');
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.VerifyUserAttribute' },
      body: JSON.stringify({ AccessToken: token, AttributeName: 'email', Code: code }),
    });
    assert.deepEqual([res.status, await res.text()], [200, '{}']);
    const attributes = await attributesOf(token);
    assert.deepEqual([attributes.email, attributes.email_verified], ['verifier@new.example', 'true']);
    assert.ok(await signIn('verifier@new.example'), 'the verified new address signs in');
    await assertRejects(() => verify(token, code), EXPIRED);
  });

  test('users may not set the verified flags or sub; unknown attributes are refused as by the schema', async () => {
    const token = await signedIn('self-verifier');
    await update(token, { email: 'self@new.example' });
    for (const flag of ['email_verified', 'phone_number_verified']) {
      await assertRejects(() => update(token, { email: 'self@other.example', [flag]: 'true' }), {
        type: 'NotAuthorizedException',
        message: 'A client attempted to write unauthorized attribute',
      });
    }
    await assertRejects(() => update(token, { sub: 'mine' }), { type: 'InvalidParameterException', message: 'Cannot modify the non-mutable attribute sub' });
    const attributes = await attributesOf(token);
    assert.deepEqual([attributes.email, attributes.email_verified], ['self@new.example', 'false'], 'a refused request changes nothing');
  });

  test('a code expires after 24 hours', async () => {
    const token = await signedIn('late');
    await update(token, { email: 'late@new.example' });
    const code = await server.latestCode('late');
    await server.advanceClock(24 * 60 * 60 + 1);
    // The access token (an hour) has expired too; a fresh sign-in gets a fresh one.
    const fresh = await signIn('late');
    await assertRejects(() => verify(fresh, code), EXPIRED);
    assert.equal((await attributesOf(fresh)).email_verified, 'false');
  });

  test('wrong codes are counted: past the limit even the right code is refused', async () => {
    const token = await signedIn('guesser');
    await update(token, { email: 'guesser@new.example' });
    const code = await server.latestCode('guesser');
    const wrong = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < 15; i++) await assertRejects(() => verify(token, wrong), MISMATCH);
    await assertRejects(() => verify(token, code), LIMITED);
    assert.equal((await attributesOf(token)).email_verified, 'false');
  });

  test('20 simultaneous redemptions of the right code: one succeeds, the others find it spent or the limit reached', async () => {
    const token = await signedIn('racer');
    await update(token, { email: 'racer@new.example' });
    const code = await server.latestCode('racer');
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => verify(token, code)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).name] : []));
    // Every redemption counts, the success included: 15 are judged, the last five meet the limit.
    assert.equal(failures.filter((name) => name === 'ExpiredCodeException').length, 14);
    assert.equal(failures.filter((name) => name === 'LimitExceededException').length, 5);
    assert.equal((await attributesOf(token)).email_verified, 'true');
  });

  test('verifying an address another user holds as an alias: AliasExistsException, nothing changes', async () => {
    await signedIn('holder', 'shared@example.com');
    const token = await signedIn('claimer', 'claimer@example.com');
    await update(token, { email: 'shared@example.com' });
    const code = await server.latestCode('claimer');
    await assertRejects(() => verify(token, code), { type: 'AliasExistsException', message: 'An account with the email already exists.' });
    assert.equal((await attributesOf(token)).email_verified, 'false');
    assert.ok(await signIn('shared@example.com'), 'the holder keeps the alias');
  });

  test('a pool that does not auto-verify email changes it unverified and sends nothing', async () => {
    const { poolId, clientId: quiet } = await createPool(idp, { AutoVerifiedAttributes: [] }, FLOWS);
    await idp.send(new SignUpCommand({ ClientId: quiet, Username: 'quiet', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'q@example.com' }] }));
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'quiet' }));
    const token = await signIn('quiet', quiet);
    assert.equal((await update(token, { email: 'q@new.example' })).CodeDeliveryDetailsList, undefined);
    const attributes = await attributesOf(token);
    assert.deepEqual([attributes.email, attributes.email_verified], ['q@new.example', 'false']);
    assert.deepEqual(await sent('quiet'), []);
  });

  test('a new phone number: an SMS code, masked as Cognito masks it, verified as phone_number', async () => {
    const { clientId: sms } = await createPool(idp, { AutoVerifiedAttributes: ['email', 'phone_number'] }, FLOWS);
    const token = await signedIn('texter', 'texter@example.com', sms);
    const out = await update(token, { phone_number: '+15555550123' });
    assert.deepEqual(out.CodeDeliveryDetailsList, [{ AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+*******0123' }]);
    const message = (await sent('texter')).pop()!;
    assert.deepEqual([message.medium, message.destination], ['SMS', '+15555550123']);
    await verify(token, message.code!, 'phone_number');
    const attributes = await attributesOf(token);
    assert.deepEqual([attributes.phone_number, attributes.phone_number_verified, attributes.email_verified], ['+15555550123', 'true', 'true']);
  });
});
