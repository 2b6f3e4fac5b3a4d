/**
 * @module DeleteUserAttributes, AdminDeleteUserAttributes and GetUserAttributeVerificationCode
 * through the SDK v3, their refusals, and the CustomMessage trigger with the sources
 * CustomMessage_UpdateUserAttribute and CustomMessage_VerifyUserAttribute.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminDeleteUserAttributesCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  DeleteUserAttributesCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventLog, fixturePath, functionArn } from '../fixtures/trigger-fixtures.ts';
import { AWS_ERRORS, assertRejects, writeConfig } from '../helpers/cognito.ts';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const NO_USER = AWS_ERRORS.userNotFound;
const NOT_VERIFIABLE = { type: 'InvalidParameterException', message: 'Invalid attribute name. Only phone_number and email can be verified.' };
const FLOWS = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const] };
type Attributes = Record<string, string>;

describe('attribute deletion, verification codes on request, and the CustomMessage trigger', () => {
  const log = new EventLog();
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    process.env.USERPOOL_FIXTURE_LOG = log.file;
    const functions = { [functionArn('custom-message')]: { module: fixturePath('custom-message') } };
    server = await startTestServer({ args: ['--config', writeConfig({ functions })], env: { USERPOOL_FIXTURE_LOG: log.file } });
    idp = server.client();
    ({ poolId, clientId } = await createPool(
      idp,
      { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'], LambdaConfig: { CustomMessage: functionArn('custom-message') } },
      FLOWS,
    ));
  });
  after(() => server.stop());

  const signIn = async (login: string) =>
    (await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: login, PASSWORD } }))).AuthenticationResult!
      .AccessToken!;
  const signedIn = async (username: string, extra: Attributes = {}) => {
    const attributes = { email: `${username}@example.com`, ...extra };
    const UserAttributes = Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes }));
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
    return signIn(username);
  };
  const own = async (AccessToken: string): Promise<Attributes> =>
    Object.fromEntries(((await idp.send(new GetUserCommand({ AccessToken }))).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
  const admin = async (Username: string): Promise<Attributes> =>
    Object.fromEntries(((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username }))).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
  const requestCode = (AccessToken: string, AttributeName: string, ClientMetadata?: Record<string, string>) =>
    idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName, ClientMetadata }));
  const verify = (AccessToken: string, AttributeName: string, Code: string) => idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName, Code }));
  const eventsFor = (username: string) => log.forPool(poolId).filter((e) => e.userName === username);

  test('DeleteUserAttributes removes the values; deleting email takes its flag and its alias with it', async () => {
    const token = await signedIn('trimmer', { given_name: 'Tim', nickname: 'T' });
    assert.ok(await signIn('trimmer@example.com'));
    await idp.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['nickname', 'email'] }));
    const attributes = await own(token);
    assert.equal(attributes.given_name, 'Tim');
    for (const gone of ['nickname', 'email', 'email_verified']) assert.equal(attributes[gone], undefined, `${gone} is still there`);
    await assertRejects(() => signIn('trimmer@example.com'), NO_USER);
    await assertRejects(() => idp.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['email_verified'] })), {
      type: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    await assertRejects(() => idp.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['sub'] })), {
      type: 'InvalidParameterException',
      message: 'Cannot modify the non-mutable attribute sub',
    });
  });

  test('a blank value in UpdateUserAttributes deletes the attribute', async () => {
    const token = await signedIn('blanker', { given_name: 'Bo' });
    await idp.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'given_name', Value: '' }, { Name: 'family_name', Value: 'Lee' }] }));
    const attributes = await own(token);
    assert.deepEqual([attributes.given_name, attributes.family_name], [undefined, 'Lee']);
  });

  test('AdminDeleteUserAttributes may remove the verified flag; the alias goes with it', async () => {
    await signedIn('flagged');
    await idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'flagged', UserAttributeNames: ['email_verified'] }));
    const attributes = await admin('flagged');
    assert.deepEqual([attributes.email, attributes.email_verified], ['flagged@example.com', undefined]);
    await assertRejects(() => signIn('flagged@example.com'), NO_USER);
    await assertRejects(() => idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: 'nobody', UserAttributeNames: ['name'] })), NO_USER);
    await assertRejects(() => idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'nobody', UserAttributes: [{ Name: 'name', Value: 'x' }] })), NO_USER);
  });

  test('GetUserAttributeVerificationCode: only email and phone_number, only with a value, at most five an hour', async () => {
    const token = await signedIn('asker');
    await assertRejects(() => requestCode(token, 'given_name'), NOT_VERIFIABLE);
    await assertRejects(() => requestCode(token, 'phone_number'), { type: 'InvalidParameterException', message: 'User does not have a valid registered phone number' });
    await assertRejects(() => verify(token, 'phone_number', '123456'), { type: 'InvalidParameterException', message: 'Unable to verify attribute: phone_number no value set to verify' });
    await assertRejects(() => verify(token, 'nickname', '123456'), NOT_VERIFIABLE);
    for (let i = 0; i < 5; i++) {
      const out = await requestCode(token, 'email');
      assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'a***@e***' });
    }
    await assertRejects(() => requestCode(token, 'email'), { type: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
    // An already verified address may be verified again with the newest code.
    await verify(token, 'email', await server.latestCode('asker'));
    assert.equal((await own(token)).email_verified, 'true');
  });

  test('a revoked token or a disabled user is refused before anything changes', async () => {
    const token = await signedIn('leaver');
    await idp.send(new GlobalSignOutCommand({ AccessToken: token }));
    const revoked = { type: 'NotAuthorizedException', message: 'Access Token has been revoked' };
    await assertRejects(() => idp.send(new UpdateUserAttributesCommand({ AccessToken: token, UserAttributes: [{ Name: 'name', Value: 'x' }] })), revoked);
    await assertRejects(() => requestCode(token, 'email'), revoked);
    await assertRejects(() => verify(token, 'email', '123456'), revoked);
    await assertRejects(() => idp.send(new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ['name'] })), revoked);
    assert.equal((await admin('leaver')).name, undefined);
  });

  test('CustomMessage_UpdateUserAttribute and CustomMessage_VerifyUserAttribute: the event, and the answer shaping the SMS', async () => {
    const token = await signedIn('shaped');
    await idp.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: 'email', Value: 'shaped@new.example' }],
        ClientMetadata: { tag: 'update' },
      }),
    );
    const update = eventsFor('shaped').pop()!;
    assert.equal(update.triggerSource, 'CustomMessage_UpdateUserAttribute');
    assert.equal(update.callerContext.clientId, clientId);
    const request = update.request as { userAttributes: Attributes; codeParameter: string; clientMetadata: Attributes; usernameParameter: unknown };
    assert.equal(request.userAttributes.email, 'shaped@new.example');
    assert.equal(request.codeParameter, '{####}');
    assert.equal(request.usernameParameter, null);
    assert.deepEqual(request.clientMetadata, { tag: 'update' });

    await requestCode(token, 'email', { tag: 'verify' });
    const asked = eventsFor('shaped').pop()!;
    assert.equal(asked.triggerSource, 'CustomMessage_VerifyUserAttribute');
    assert.deepEqual((asked.request as { clientMetadata: Attributes }).clientMetadata, { tag: 'verify' });

    // An SMS body from the function replaces the template, with the code filled in.
    const seen = eventsFor('shaped').length;
    await idp.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'shaped',
        UserAttributes: [{ Name: 'phone_number', Value: '+15555550100' }],
        ClientMetadata: { smsMessage: 'Code for you: {####}' },
      }),
    );
    assert.equal(eventsFor('shaped').length, seen, 'phone_number is not auto-verified in this pool: no code, no trigger');
    await requestCode(token, 'phone_number', { smsMessage: 'Code for you: {####}' });
    const sms = (await server.outbox('shaped')).pop()!;
    assert.deepEqual([sms.medium, sms.destination, sms.body], ['SMS', '+15555550100', `Code for you: ${sms.code}`]);
    assert.equal(eventsFor('shaped').pop()!.triggerSource, 'CustomMessage_VerifyUserAttribute');
  });

  test('AdminUpdateUserAttributes fires CustomMessage_UpdateUserAttribute with CLIENT_ID_NOT_APPLICABLE; a failing function changes nothing', async () => {
    await signedIn('admin-shaped');
    await idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'admin-shaped', UserAttributes: [{ Name: 'email', Value: 'as@new.example' }] }));
    const event = eventsFor('admin-shaped').pop()!;
    assert.deepEqual([event.triggerSource, event.callerContext.clientId], ['CustomMessage_UpdateUserAttribute', 'CLIENT_ID_NOT_APPLICABLE']);
    await assertRejects(
      () =>
        idp.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: poolId,
            Username: 'admin-shaped',
            UserAttributes: [{ Name: 'email', Value: 'as@third.example' }],
            ClientMetadata: { fail: 'no messages today' },
          }),
        ),
      { type: 'UserLambdaValidationException', message: 'CustomMessage failed with error no messages today.' },
    );
    assert.equal((await admin('admin-shaped')).email, 'as@new.example');
  });
});
