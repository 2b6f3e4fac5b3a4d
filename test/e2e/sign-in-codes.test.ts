/**
 * @module USER_AUTH's one-time codes through the SDK v3 (sign-in spec §5.4, §7.3, §7.4, §7.6):
 * EMAIL_OTP and SMS_OTP offered by the pool's SignInPolicy to users with that address verified,
 * codes through the outbox and SMTP, wrong codes that keep the session, simulated challenges for
 * unknown users, and CustomMessage_Authentication.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventLog, functionArn } from '../fixtures/trigger-fixtures.ts';
import { AWS_ERRORS, assertRejects, writeConfig, writeModule } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';

const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const ALL_FACTORS: Partial<CreateUserPoolCommandInput> = { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } } };
const MISMATCH = { type: 'CodeMismatchException', message: 'Invalid code or auth state for the user.' };
const USED = AWS_ERRORS.sessionUsed;
const ARN = functionArn('sign-in-codes');
const HANDLER = `
import { appendFileSync } from 'node:fs';
export async function handler(event) {
  appendFileSync(process.env.USERPOOL_FIXTURE_LOG, JSON.stringify({ fixture: 'codes', event }) + '\\n');
  if (event.triggerSource === 'CustomMessage_Authentication') {
    event.response.smsMessage = 'Sign in to Example with ' + event.request.codeParameter;
  }
  return event;
}
`;

describe('USER_AUTH with EMAIL_OTP and SMS_OTP', () => {
  const log = new EventLog();
  let smtp: TestSmtp;
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    smtp = await startSmtp();
    const config = writeConfig({ functions: { [ARN]: { module: writeModule(HANDLER) } } });
    server = await startTestServer({ args: ['--config', config, '--smtp-url', smtp.url], env: { USERPOOL_FIXTURE_LOG: log.file } });
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, ALL_FACTORS, { ExplicitAuthFlows: FLOWS, PreventUserExistenceErrors: 'ENABLED' }));
  });
  after(async () => {
    await server.stop();
    await smtp.close();
  });

  const confirmed = async (username: string) => {
    await signUp(idp, clientId, username);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
  };
  const userAuth = (username: string, preferred?: string, client = clientId) =>
    idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: client, AuthParameters: { USERNAME: username, ...(preferred ? { PREFERRED_CHALLENGE: preferred } : {}) } }));
  const answer = (username: string, session: string | undefined, code: string, name: 'EMAIL_OTP' | 'SMS_OTP' = 'EMAIL_OTP', client = clientId) =>
    idp.send(new RespondToAuthChallengeCommand({ ClientId: client, ChallengeName: name, Session: session, ChallengeResponses: { USERNAME: username, [`${name}_CODE`]: code } }));
  /** The mail that carries `code`: the user's first mail was the confirmation code. */
  const mailWith = async (code: string) => {
    for (let i = 0; i < 100; i++) {
      const mail = smtp.mails.find((m) => m.text?.includes(code));
      if (mail) return mail;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no mail carried ${code}`);
  };
  const wrongFor = (code: string) => String((Number(code) + 1) % 100_000_000).padStart(8, '0');

  test('SELECT_CHALLENGE lists the passwords and the verified email, not an SMS the user cannot receive', async () => {
    await confirmed('lister');
    const out = await userAuth('lister');
    assert.equal(out.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(out.AvailableChallenges, ['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP']);
    assert.deepEqual(out.ChallengeParameters, {});
  });

  test('PREFERRED_CHALLENGE EMAIL_OTP mails an eight-digit code; the right code signs in once', async () => {
    await confirmed('mailer');
    const sentBefore = (await server.outbox('mailer')).length;
    const out = await userAuth('mailer', 'EMAIL_OTP');
    assert.equal(out.ChallengeName, 'EMAIL_OTP');
    assert.deepEqual(out.AvailableChallenges, ['EMAIL_OTP']);
    assert.deepEqual(out.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'm***@e***' });
    const messages = await server.outbox('mailer');
    assert.equal(messages.length, sentBefore + 1);
    const message = messages.at(-1)!;
    assert.match(message.code!, /^\d{8}$/u);
    assert.deepEqual([message.medium, message.destination, message.subject, message.body], ['EMAIL', 'mailer@example.com', 'Your authentication code', `Your authentication code is ${message.code}. `]);
    const mail = await mailWith(message.code!);
    assert.deepEqual([mail.subject, mail.text?.trim()], ['Your authentication code', `Your authentication code is ${message.code}.`]);

    const done = await answer('mailer', out.Session, message.code!);
    assert.ok(done.AuthenticationResult?.AccessToken);
    assert.ok(done.AuthenticationResult.RefreshToken);
    const me = await idp.send(new GetUserCommand({ AccessToken: done.AuthenticationResult.AccessToken }));
    assert.equal(me.Username, 'mailer');
    await assertRejects(() => answer('mailer', out.Session, message.code!), USED);
  });

  test('six wrong codes keep the session usable (no lockout); the right one still signs in', async () => {
    await confirmed('fumbler');
    const out = await userAuth('fumbler', 'EMAIL_OTP');
    const code = await server.latestCode('fumbler');
    for (let i = 0; i < 6; i++) await assertRejects(() => answer('fumbler', out.Session, wrongFor(code)), MISMATCH);
    const done = await answer('fumbler', out.Session, code);
    assert.ok(done.AuthenticationResult?.IdToken);
  });

  test('the tenth wrong code spends the session: after it even the right code is refused', async () => {
    await confirmed('guesser');
    const out = await userAuth('guesser', 'EMAIL_OTP');
    const code = await server.latestCode('guesser');
    for (let i = 0; i < 10; i++) await assertRejects(() => answer('guesser', out.Session, wrongFor(code)), MISMATCH);
    await assertRejects(() => answer('guesser', out.Session, code), USED);
  });

  test('two right answers at once: one signs in, the other is told the session was used', async () => {
    await confirmed('racer');
    const out = await userAuth('racer', 'EMAIL_OTP');
    const code = await server.latestCode('racer');
    const settled = await Promise.allSettled([answer('racer', out.Session, code), answer('racer', out.Session, code), answer('racer', out.Session, code)]);
    assert.equal(settled.filter((s) => s.status === 'fulfilled').length, 1);
    for (const s of settled) if (s.status === 'rejected') assert.deepEqual([(s.reason as Error).name, (s.reason as Error).message], [USED.type, USED.message]);
  });

  test('answering SELECT_CHALLENGE with EMAIL_OTP sends the code and returns its challenge', async () => {
    await confirmed('chooser');
    const select = await userAuth('chooser');
    const out = await idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SELECT_CHALLENGE', Session: select.Session, ChallengeResponses: { USERNAME: 'chooser', ANSWER: 'EMAIL_OTP' } }));
    assert.equal(out.ChallengeName, 'EMAIL_OTP');
    assert.notEqual(out.Session, select.Session);
    const done = await answer('chooser', out.Session, await server.latestCode('chooser'));
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  test('a code session answered under another challenge name is refused and stays usable', async () => {
    await confirmed('namer');
    const out = await userAuth('namer', 'EMAIL_OTP');
    const code = await server.latestCode('namer');
    await assertRejects(() => answer('namer', out.Session, code, 'SMS_OTP'), { type: 'InvalidParameterException', message: 'Invalid challenge name.' });
    assert.ok((await answer('namer', out.Session, code)).AuthenticationResult);
  });

  test('a code outlives its session by nothing: past AuthSessionValidity the session is expired', async () => {
    await confirmed('sleeper');
    const out = await userAuth('sleeper', 'EMAIL_OTP');
    const code = await server.latestCode('sleeper');
    await server.advanceClock(3 * 60 + 1);
    await assertRejects(() => answer('sleeper', out.Session, code), { type: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
  });

  test('an unknown user under PreventUserExistenceErrors gets a simulated challenge; nothing is sent and no code opens it', async () => {
    const before = (await server.outbox()).length;
    const out = await userAuth('ghost@example.org', 'EMAIL_OTP');
    assert.equal(out.ChallengeName, 'EMAIL_OTP');
    assert.deepEqual(out.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'g***@e***' });
    assert.ok(out.Session && out.Session.length >= 20);
    assert.equal((await server.outbox()).length, before);
    await assertRejects(() => answer('ghost@example.org', out.Session, '00000000'), MISMATCH);
  });

  test('without PreventUserExistenceErrors an unknown user is named; a disabled one is told so', async () => {
    const legacy = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'legacy', ExplicitAuthFlows: FLOWS, PreventUserExistenceErrors: 'LEGACY' }));
    await assertRejects(() => userAuth('nobody', 'EMAIL_OTP', legacy.UserPoolClient!.ClientId), { type: 'UserNotFoundException', message: 'User does not exist.' });
    await confirmed('switched-off');
    await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'switched-off' }));
    await assertRejects(() => userAuth('switched-off', 'EMAIL_OTP'), { type: 'NotAuthorizedException', message: 'User is disabled.' });
  });

  test('a user who must change a temporary password is offered only the passwords, even when asking for EMAIL_OTP', async () => {
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'newcomer',
        MessageAction: 'SUPPRESS',
        TemporaryPassword: PASSWORD,
        UserAttributes: [
          { Name: 'email', Value: 'newcomer@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const out = await userAuth('newcomer', 'EMAIL_OTP');
    assert.equal(out.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(out.AvailableChallenges, ['PASSWORD_SRP', 'PASSWORD']);
  });

  test('a pool that allows only PASSWORD offers no codes', async () => {
    const { clientId: plain } = await createPool(idp, {}, { ExplicitAuthFlows: FLOWS });
    await signUp(idp, plain, 'passworder');
    await idp.send(new ConfirmSignUpCommand({ ClientId: plain, Username: 'passworder', ConfirmationCode: await server.latestCode('passworder') }));
    const out = await userAuth('passworder', 'EMAIL_OTP', plain);
    assert.equal(out.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(out.AvailableChallenges, ['PASSWORD_SRP', 'PASSWORD']);
  });

  test('SMS_OTP texts the verified phone, through CustomMessage_Authentication when the pool has it', async () => {
    const sms = await createPool(
      idp,
      { ...ALL_FACTORS, AutoVerifiedAttributes: ['phone_number'], SmsAuthenticationMessage: 'Code {####}', LambdaConfig: { CustomMessage: ARN } },
      { ExplicitAuthFlows: FLOWS },
    );
    await idp.send(new SignUpCommand({ ClientId: sms.clientId, Username: 'texter', Password: PASSWORD, UserAttributes: [{ Name: 'phone_number', Value: '+15555554114' }] }));
    await idp.send(new ConfirmSignUpCommand({ ClientId: sms.clientId, Username: 'texter', ConfirmationCode: await server.latestCode('texter') }));
    const select = await userAuth('texter', undefined, sms.clientId);
    assert.deepEqual(select.AvailableChallenges, ['PASSWORD_SRP', 'PASSWORD', 'SMS_OTP']);

    const out = await userAuth('texter', 'SMS_OTP', sms.clientId);
    assert.equal(out.ChallengeName, 'SMS_OTP');
    assert.deepEqual(out.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******4114' });
    const message = (await server.outbox('texter')).at(-1)!;
    assert.deepEqual([message.medium, message.destination, message.body], ['SMS', '+15555554114', `Sign in to Example with ${message.code}`]);
    const event = log.forPool(sms.poolId).find((e) => e.triggerSource === 'CustomMessage_Authentication');
    assert.ok(event, 'CustomMessage_Authentication was not invoked');
    assert.equal(event.userName, 'texter');
    assert.equal(event.request.codeParameter, '{####}');

    const done = await answer('texter', out.Session, message.code!, 'SMS_OTP', sms.clientId);
    assert.ok(done.AuthenticationResult?.AccessToken);
  });
});
