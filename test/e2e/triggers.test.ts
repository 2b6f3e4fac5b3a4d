/**
 * @module Lambda triggers through all three transports (local module, signed HTTP, Lambda Invoke
 * API) with the same fixtures: the exact events of spec §6.2–§6.4, what the answers do, and the
 * error mapping of §6.5, through the spawned server and the real SDK.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventLog, fixturePath, functionArn, type FixtureName } from '../fixtures/trigger-fixtures.ts';
import { assertRejects, userState, writeConfig } from '../helpers/cognito.ts';
import { PASSWORD, createPool } from '../helpers/fixtures.ts';
import { startHttpEndpoint, triggerFixtureResponder, type HttpEndpoint } from '../helpers/http-endpoint.ts';
import { startLambdaEndpoint, type LambdaEndpoint } from '../helpers/lambda-endpoint.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const FIXTURES: FixtureName[] = ['pre-sign-up', 'custom-message', 'post-confirmation'];
const HTTP_SECRET = 'trigger-signing-secret-for-tests';
const LAMBDA_CONFIG = {
  PreSignUp: functionArn('pre-sign-up'),
  CustomMessage: functionArn('custom-message'),
  PostConfirmation: functionArn('post-confirmation'),
};

type Transport = 'module' | 'http' | 'lambda';

/** The `functions` config for one transport, and whatever must run on the test side for it. */
async function transportFor(transport: Transport): Promise<{ functions: Record<string, unknown>; close: () => Promise<void> }> {
  const functions: Record<string, unknown> = {};
  if (transport === 'module') {
    for (const name of FIXTURES) functions[functionArn(name)] = { module: fixturePath(name) };
    return { functions, close: async () => {} };
  }
  if (transport === 'http') {
    const endpoint: HttpEndpoint = await startHttpEndpoint(triggerFixtureResponder(Buffer.from(HTTP_SECRET, 'utf8')));
    for (const name of FIXTURES) functions[functionArn(name)] = { url: `${endpoint.url}/${name}`, secret: HTTP_SECRET };
    return { functions, close: endpoint.close };
  }
  const endpoint: LambdaEndpoint = await startLambdaEndpoint(Object.fromEntries(FIXTURES.map((name) => [name, { fixture: name }])));
  for (const name of FIXTURES) functions[functionArn(name)] = { lambda: { endpoint: endpoint.url } };
  return { functions, close: endpoint.close };
}

for (const transport of ['module', 'http', 'lambda'] as const) {
  describe(`triggers over the ${transport} transport`, () => {
    const log = new EventLog();
    let server: TestServer;
    let idp: CognitoIdentityProviderClient;
    let closeTransport: () => Promise<void>;
    /** `aws-sdk-js-<version>` as Cognito reports the caller (spec §6.1), from the user agent this SDK sends. */
    let AWS_SDK: string;

    before(async () => {
      // The fixtures record wherever they run: in the server (module) or in this process (http, lambda).
      process.env.USERPOOL_FIXTURE_LOG = log.file;
      const { functions, close } = await transportFor(transport);
      closeTransport = close;
      server = await startTestServer({ args: ['--config', writeConfig({ functions })], env: { USERPOOL_FIXTURE_LOG: log.file } });
      idp = server.client();
      const agent = await idp.config.defaultUserAgentProvider();
      AWS_SDK = `aws-sdk-js-${agent.find(([name]) => name === 'aws-sdk-js')?.[1]}`;
    });
    after(async () => {
      await server.stop();
      await closeTransport();
    });

    const triggeredPool = (settings: Partial<CreateUserPoolCommandInput> = {}) => createPool(idp, { LambdaConfig: LAMBDA_CONFIG, ...settings });
    const signUp = (clientId: string, username: string, metadata?: Record<string, string>) =>
      idp.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: username,
          Password: PASSWORD,
          UserAttributes: [
            { Name: 'email', Value: `${username}@example.com` },
            { Name: 'name', Value: 'Ada' },
          ],
          ValidationData: [{ Name: 'invite', Value: 'abc' }],
          ...(metadata ? { ClientMetadata: metadata } : {}),
        }),
      );

    test('SignUp then ConfirmSignUp: PreSignUp, CustomMessage and PostConfirmation receive exactly the events of §6.1–§6.4', async () => {
      const { poolId, clientId } = await triggeredPool();
      const out = await signUp(clientId, 'ada', { campaign: 'spring' });
      const code = await server.latestCode('ada');
      await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'ada', ConfirmationCode: code, ClientMetadata: { step: 'confirm' } }));

      const envelope = { version: '1', region: 'us-east-1', userPoolId: poolId, userName: 'ada', callerContext: { awsSdkVersion: AWS_SDK, clientId } };
      const attributes = { sub: out.UserSub!, email: 'ada@example.com', name: 'Ada' };
      assert.deepEqual(log.forPool(poolId), [
        {
          ...envelope,
          triggerSource: 'PreSignUp_SignUp',
          request: { userAttributes: { email: 'ada@example.com', name: 'Ada' }, validationData: { invite: 'abc' }, clientMetadata: { campaign: 'spring' } },
          response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
        },
        {
          ...envelope,
          triggerSource: 'CustomMessage_SignUp',
          request: {
            userAttributes: { ...attributes, 'cognito:user_status': 'UNCONFIRMED' },
            codeParameter: '{####}',
            linkParameter: '{##Click Here##}',
            usernameParameter: null,
            clientMetadata: { campaign: 'spring' },
          },
          response: { smsMessage: null, emailMessage: null, emailSubject: null },
        },
        {
          ...envelope,
          triggerSource: 'PostConfirmation_ConfirmSignUp',
          request: { userAttributes: { ...attributes, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' }, clientMetadata: { step: 'confirm' } },
          response: {},
        },
      ]);
      // Without a CustomMessage answer the pool's own (default) template is used.
      const [message] = await server.outbox('ada');
      assert.equal(message?.body.trim(), `Your verification code is ${code}.`);
    });

    test('PreSignUp autoConfirmUser + autoVerifyEmail: confirmed at once, no code, no CustomMessage, no PostConfirmation', async () => {
      const { poolId, clientId } = await triggeredPool();
      const out = await signUp(clientId, 'auto', { autoConfirmUser: 'true', autoVerifyEmail: 'true' });
      assert.equal(out.UserConfirmed, true);
      assert.equal(out.CodeDeliveryDetails, undefined);
      assert.deepEqual(await server.outbox('auto'), []);
      const state = await userState(idp, poolId, 'auto');
      assert.equal(state.status, 'CONFIRMED');
      assert.equal(state.attributes.email_verified, 'true');
      assert.deepEqual(log.forPool(poolId).map((e) => e.triggerSource), ['PreSignUp_SignUp']);
    });

    test('PreSignUp autoConfirmUser alone leaves the email unverified', async () => {
      const { poolId, clientId } = await triggeredPool();
      await signUp(clientId, 'autoonly', { autoConfirmUser: 'true' });
      const state = await userState(idp, poolId, 'autoonly');
      assert.equal(state.status, 'CONFIRMED');
      assert.notEqual(state.attributes.email_verified, 'true');
    });

    test('PreSignUp autoVerifyPhone marks the phone verified and leaves the user to confirm', async () => {
      const { poolId, clientId } = await triggeredPool();
      await idp.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: 'phoned',
          Password: PASSWORD,
          UserAttributes: [
            { Name: 'email', Value: 'phoned@example.com' },
            { Name: 'phone_number', Value: '+15550001111' },
          ],
          ClientMetadata: { autoVerifyPhone: 'true' },
        }),
      );
      const state = await userState(idp, poolId, 'phoned');
      assert.equal(state.status, 'UNCONFIRMED');
      assert.equal(state.attributes.phone_number_verified, 'true');
      assert.notEqual(state.attributes.email_verified, 'true');
    });

    test('AdminCreateUser: PreSignUp_AdminCreateUser (flags ignored) and CustomMessage_AdminCreateUser shape the invitation', async () => {
      const { poolId } = await triggeredPool({ EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'team@example.org' } });
      const metadata = { autoConfirmUser: 'true', emailSubject: 'Your new account', emailMessage: 'Hello {username}, your password is {####}' };
      const out = await idp.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: 'invitee',
          TemporaryPassword: 'Temp-Pass-123',
          UserAttributes: [{ Name: 'email', Value: 'invitee@example.com' }],
          DesiredDeliveryMediums: ['EMAIL'],
          ClientMetadata: metadata,
        }),
      );
      const sub = out.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
      const envelope = { version: '1', region: 'us-east-1', userPoolId: poolId, userName: 'invitee', callerContext: { awsSdkVersion: AWS_SDK, clientId: 'CLIENT_ID_NOT_APPLICABLE' } };
      assert.deepEqual(log.forPool(poolId), [
        {
          ...envelope,
          triggerSource: 'PreSignUp_AdminCreateUser',
          request: { userAttributes: { email: 'invitee@example.com' }, validationData: null, clientMetadata: metadata },
          response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
        },
        {
          ...envelope,
          triggerSource: 'CustomMessage_AdminCreateUser',
          request: {
            userAttributes: { sub, email: 'invitee@example.com', 'cognito:user_status': 'FORCE_CHANGE_PASSWORD' },
            codeParameter: '{####}',
            linkParameter: '{##Click Here##}',
            usernameParameter: '{username}',
            clientMetadata: metadata,
          },
          response: { smsMessage: null, emailMessage: null, emailSubject: null },
        },
      ]);
      assert.equal((await userState(idp, poolId, 'invitee')).status, 'FORCE_CHANGE_PASSWORD');
      const [invitation] = await server.outbox('invitee');
      assert.equal(invitation?.subject, 'Your new account');
      assert.equal(invitation?.body, 'Hello invitee, your password is Temp-Pass-123');
    });

    test('a throwing PreSignUp rejects the sign-up with UserLambdaValidationException and creates no user', async () => {
      const { poolId, clientId } = await triggeredPool();
      await assertRejects(() => signUp(clientId, 'rejected', { reject: 'Sign-ups are closed' }), {
        type: 'UserLambdaValidationException',
        message: 'PreSignUp failed with error Sign-ups are closed.',
      });
      await assertRejects(() => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'rejected' })), {
        type: 'UserNotFoundException',
        message: 'User does not exist.',
      });
      assert.deepEqual(await server.outbox('rejected'), []);
      assert.deepEqual(log.forPool(poolId).map((e) => e.triggerSource), ['PreSignUp_SignUp']);
    });

    test('PreSignUp output that is not JSON, or not an event, is InvalidLambdaResponseException', async () => {
      const { clientId } = await triggeredPool();
      await assertRejects(() => signUp(clientId, 'textual', { output: 'text' }), {
        type: 'InvalidLambdaResponseException',
        message: 'Invalid lambda function output : Invalid JSON',
      });
      await assertRejects(() => signUp(clientId, 'listed', { output: 'array' }), {
        type: 'InvalidLambdaResponseException',
        message: 'Unrecognizable lambda output',
      });
    });

    test("CustomMessage's emailSubject and emailMessage replace the template, with {####} and {username} filled", async () => {
      const { poolId, clientId } = await triggeredPool({
        EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/team@example.org' },
      });
      await signUp(clientId, 'styled', { emailSubject: 'Welcome aboard', emailMessage: 'Hi {username}, use {####} to finish.' });
      const code = await server.latestCode('styled');
      const [message] = await server.outbox('styled');
      assert.equal(message?.subject, 'Welcome aboard');
      assert.equal(message?.body, `Hi styled, use ${code} to finish.`);
      assert.equal(message?.from, 'team@example.org');

      await idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'styled', ClientMetadata: { emailMessage: 'Again: {####}' } }));
      const resent = (await server.outbox('styled')).at(-1);
      assert.equal(resent?.body, `Again: ${await server.latestCode('styled')}`);
      const resend = log.forPool(poolId).at(-1)!;
      assert.equal(resend.triggerSource, 'CustomMessage_ResendCode');
      assert.deepEqual(resend.request.clientMetadata, { emailMessage: 'Again: {####}' });
      assert.equal((resend.request.userAttributes as Record<string, string>)['cognito:user_status'], 'UNCONFIRMED');
    });

    test('a CustomMessage answer without the code placeholder is InvalidLambdaResponseException', async () => {
      const { clientId } = await triggeredPool({ EmailConfiguration: { EmailSendingAccount: 'DEVELOPER', From: 'team@example.org' } });
      await assertRejects(() => signUp(clientId, 'codeless', { emailMessage: 'Welcome, no code here.' }), {
        type: 'InvalidLambdaResponseException',
        message: 'Unrecognizable lambda output',
      });
    });

    test('a custom email body from CustomMessage needs a DEVELOPER sending account', async () => {
      const { clientId } = await triggeredPool();
      await assertRejects(() => signUp(clientId, 'defaultacct', { emailMessage: 'Your code: {####}' }), {
        type: 'InvalidLambdaResponseException',
        message: 'Unrecognizable lambda output',
      });
    });

    test('a throwing CustomMessage is UserLambdaValidationException', async () => {
      const { clientId } = await triggeredPool();
      await assertRejects(() => signUp(clientId, 'cmfail', { fail: 'template store offline' }), {
        type: 'UserLambdaValidationException',
        message: 'CustomMessage failed with error template store offline.',
      });
    });

    test('a failing PostConfirmation returns its error, and the user stays CONFIRMED (§6.2)', async () => {
      const { poolId, clientId } = await triggeredPool();
      await signUp(clientId, 'pcfail');
      const code = await server.latestCode('pcfail');
      await assertRejects(
        () => idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'pcfail', ConfirmationCode: code, ClientMetadata: { fail: 'profile table missing' } })),
        { type: 'UserLambdaValidationException', message: 'PostConfirmation failed with error profile table missing.' },
      );
      const state = await userState(idp, poolId, 'pcfail');
      assert.equal(state.status, 'CONFIRMED');
      assert.equal(state.attributes.email_verified, 'true');
      await assertRejects(() => idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'pcfail', ConfirmationCode: code })), {
        type: 'NotAuthorizedException',
        message: 'User cannot be confirmed. Current status is CONFIRMED',
      });
    });

    test('AdminConfirmSignUp runs PostConfirmation with CLIENT_ID_NOT_APPLICABLE and the call\'s ClientMetadata', async () => {
      const { poolId, clientId } = await triggeredPool();
      const out = await signUp(clientId, 'admin');
      await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'admin', ClientMetadata: { by: 'support' } }));
      assert.deepEqual(log.forPool(poolId).at(-1), {
        version: '1',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'admin',
        callerContext: { awsSdkVersion: AWS_SDK, clientId: 'CLIENT_ID_NOT_APPLICABLE' },
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        // The admin path verifies nothing (spec §5.9), so no email_verified appears.
        request: { userAttributes: { sub: out.UserSub!, email: 'admin@example.com', name: 'Ada', 'cognito:user_status': 'CONFIRMED' }, clientMetadata: { by: 'support' } },
        response: {},
      });
      await assertRejects(() => idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'admin' })), {
        type: 'NotAuthorizedException',
        message: 'User cannot be confirmed. Current status is CONFIRMED',
      });
    });
  });
}
