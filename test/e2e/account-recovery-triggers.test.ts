/**
 * @module The recovery flows' triggers and messages (sign-in spec §11, confirm spec §6): the
 * CustomMessage_ForgotPassword event for ForgotPassword and AdminResetUserPassword, what its answer
 * changes, the code template (never the link) and its defaults, and PostConfirmation with
 * PostConfirmation_ConfirmForgotPassword after the reset commits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventLog, fixturePath, functionArn } from '../fixtures/trigger-fixtures.ts';
import { assertRejects, writeConfig } from '../helpers/cognito.ts';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const NEW_PASSWORD = 'Battery-Staple-7';
const DEVELOPER = { EmailSendingAccount: 'DEVELOPER' as const, From: 'team@example.org' };

describe('recovery triggers and messages', () => {
  const log = new EventLog();
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let sdk: string;

  before(async () => {
    process.env.USERPOOL_FIXTURE_LOG = log.file;
    const functions = Object.fromEntries((['custom-message', 'post-confirmation'] as const).map((name) => [functionArn(name), { module: fixturePath(name) }]));
    server = await startTestServer({ args: ['--config', writeConfig({ functions })], env: { USERPOOL_FIXTURE_LOG: log.file } });
    idp = server.client();
    const agent = await idp.config.defaultUserAgentProvider();
    sdk = `aws-sdk-js-${agent.find(([name]) => name === 'aws-sdk-js')?.[1]}`;
  });
  after(() => server.stop());

  const triggered = (settings: Partial<CreateUserPoolCommandInput> = {}) =>
    createPool(
      idp,
      { LambdaConfig: { CustomMessage: functionArn('custom-message'), PostConfirmation: functionArn('post-confirmation') }, ...settings },
      { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
  const member = async (poolId: string, username: string) => {
    const out = await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
        MessageAction: 'SUPPRESS',
      }),
    );
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    return out.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
  };

  test('ForgotPassword then ConfirmForgotPassword: CustomMessage_ForgotPassword and PostConfirmation_ConfirmForgotPassword events', async () => {
    const { poolId, clientId } = await triggered();
    const sub = await member(poolId, 'ada');
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ada', ClientMetadata: { step: 'forgot' } }));
    const code = await server.latestCode('ada');
    await idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'ada', ConfirmationCode: code, Password: NEW_PASSWORD, ClientMetadata: { step: 'confirm' } }));

    const envelope = { version: '1', region: 'us-east-1', userPoolId: poolId, userName: 'ada', callerContext: { awsSdkVersion: sdk, clientId } };
    const userAttributes = { sub, email: 'ada@example.com', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' };
    assert.deepEqual(log.forPool(poolId), [
      {
        ...envelope,
        triggerSource: 'CustomMessage_ForgotPassword',
        request: { userAttributes, codeParameter: '{####}', linkParameter: '{##Click Here##}', usernameParameter: null, clientMetadata: { step: 'forgot' } },
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
      },
      { ...envelope, triggerSource: 'PostConfirmation_ConfirmForgotPassword', request: { userAttributes, clientMetadata: { step: 'confirm' } }, response: {} },
    ]);
    const [message] = await server.outbox('ada');
    assert.deepEqual([message?.subject, message?.body.trim()], ['Your verification code', `Your verification code is ${code}.`], 'the default code template');
  });

  test('AdminResetUserPassword sends CustomMessage_ForgotPassword as an admin call', async () => {
    const { poolId } = await triggered();
    await member(poolId, 'bea');
    await idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: 'bea', ClientMetadata: { step: 'admin' } }));
    const [event] = log.forPool(poolId);
    assert.equal(event?.triggerSource, 'CustomMessage_ForgotPassword');
    assert.equal(event?.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
    assert.deepEqual(event?.request.clientMetadata, { step: 'admin' });
    assert.equal((event?.request.userAttributes as Record<string, string>)['cognito:user_status'], 'CONFIRMED', 'the event describes the user before the reset');
  });

  test('the CustomMessage answer replaces subject and body; a body without the code is refused and nothing is sent', async () => {
    const { poolId, clientId } = await triggered({ EmailConfiguration: DEVELOPER });
    await member(poolId, 'cat');
    const forgot = (metadata: Record<string, string>) => idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'cat', ClientMetadata: metadata }));
    await forgot({ emailSubject: 'Reset your password', emailMessage: 'Your reset code: {####}' });
    const code = await server.latestCode('cat');
    const [message] = await server.outbox('cat');
    assert.deepEqual([message?.subject, message?.body], ['Reset your password', `Your reset code: ${code}`]);
    await assertRejects(() => forgot({ emailMessage: 'No code here' }), { type: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
    assert.equal((await server.outbox('cat')).length, 1);
  });

  test('in link mode the reset message still uses the code template', async () => {
    const { poolId, clientId } = await triggered({
      EmailConfiguration: DEVELOPER,
      VerificationMessageTemplate: {
        DefaultEmailOption: 'CONFIRM_WITH_LINK',
        EmailMessage: 'Code {####} for you',
        EmailSubject: 'Your code',
        EmailMessageByLink: 'Click {##here##}',
        EmailSubjectByLink: 'Your link',
      },
    });
    await member(poolId, 'dan');
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'dan' }));
    const code = await server.latestCode('dan');
    const [message] = await server.outbox('dan');
    assert.deepEqual([message?.subject, message?.body], ['Your code', `Code ${code} for you`]);
  });

  test('a failing PostConfirmation is reported, and the password is reset all the same', async () => {
    const { poolId, clientId } = await triggered();
    await member(poolId, 'eve');
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'eve' }));
    const confirm = () =>
      idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'eve', ConfirmationCode: code, Password: NEW_PASSWORD, ClientMetadata: { fail: 'profile store down' } }));
    const code = await server.latestCode('eve');
    await assertRejects(confirm, { type: 'UserLambdaValidationException', message: 'PostConfirmation failed with error profile store down.' });
    const out = await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'eve', PASSWORD: NEW_PASSWORD } }));
    assert.ok(out.AuthenticationResult);
  });
});
