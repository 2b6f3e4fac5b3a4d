/**
 * @module SMS delivery through each sender chosen in config (issue 4 item 4): the outbox only (the
 * default), a signed JSON webhook, and Amazon SNS Publish against an endpoint that speaks the SNS
 * Query protocol; with retries and permanent failures recorded in the outbox.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignUpCommand, type CognitoIdentityProviderClient, type CreateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { writeConfig } from '../helpers/cognito.ts';
import { PASSWORD, createPool } from '../helpers/fixtures.ts';
import { signatureValid, startHttpEndpoint, type HttpEndpoint, type RecordedRequest, type Reply } from '../helpers/http-endpoint.ts';
import { startTestServer, type OutboxEntry, type TestServer } from '../helpers/server.ts';

const SMS_POOL: Partial<CreateUserPoolCommandInput> = { AutoVerifiedAttributes: ['phone_number'] };

async function signUpWithPhone(idp: CognitoIdentityProviderClient, clientId: string, username: string, phone: string) {
  return idp.send(
    new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'phone_number', Value: phone }] }),
  );
}

/** Polls until `username`'s newest message is `status` (sent or failed for good). */
async function reaches(server: TestServer, username: string, status: 'sent' | 'failed'): Promise<OutboxEntry> {
  for (let i = 0; i < 400; i++) {
    const last = (await server.outbox(username)).at(-1);
    if (last?.status === status) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the message to ${username} never became ${status}: ${JSON.stringify(await server.outbox(username))}`);
}

describe('SMS with no sender configured (the default)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('the message is kept in the outbox, marked sent, with its code', async () => {
    const { clientId } = await createPool(server.client(), SMS_POOL);
    const out = await signUpWithPhone(server.client(), clientId, 'texted', '+15551234567');
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+*******4567' });
    const entry = await reaches(server, 'texted', 'sent');
    assert.equal(entry.medium, 'SMS');
    assert.equal(entry.destination, '+15551234567');
    assert.match(entry.code ?? '', /^\d{6}$/u);
    assert.equal(entry.body.trim(), `Your verification code is ${entry.code}.`);
  });
});

describe('SMS through the webhook sender', () => {
  const key = Buffer.from('webhook-key-for-sms-tests-000000', 'utf8');
  let hook: HttpEndpoint;
  let server: TestServer;
  let failNext = 1;

  before(async () => {
    hook = await startHttpEndpoint(() => (failNext-- > 0 ? { status: 502, body: 'gateway busy' } : { status: 202, body: '' }));
    const sms = { sender: 'webhook', url: `${hook.url}/sms`, secret: `whsec_${key.toString('base64')}` };
    server = await startTestServer({ args: ['--config', writeConfig({ sms })] });
  });
  after(async () => {
    await server.stop();
    await hook.close();
  });

  test('POSTs {id, to, message, poolId, username} signed; a failed try is retried with the same webhook-id', async () => {
    const { poolId, clientId } = await createPool(server.client(), { ...SMS_POOL, VerificationMessageTemplate: { SmsMessage: 'Example code: {####}' } });
    await signUpWithPhone(server.client(), clientId, 'hooked', '+15557654321');
    const entry = await reaches(server, 'hooked', 'sent');
    assert.equal(entry.attempts, 2);
    assert.equal(hook.requests.length, 2);
    const [first, second] = hook.requests as [RecordedRequest, RecordedRequest];
    assert.equal(second.method, 'POST');
    assert.equal(second.path, '/sms');
    assert.equal(second.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(second.body), { id: entry.id, to: '+15557654321', message: `Example code: ${entry.code}`, poolId, username: 'hooked' });
    assert.ok(signatureValid(first, key) && signatureValid(second, key));
    assert.equal(first.headers['webhook-id'], second.headers['webhook-id']);
  });
});

/** Parses an SNS Query-protocol request body (application/x-www-form-urlencoded). */
function form(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}

function snsPublishResponder(request: RecordedRequest): Reply {
  const params = form(request);
  const requestId = randomUUID();
  if (params.Action !== 'Publish') {
    return { status: 400, headers: { 'Content-Type': 'text/xml' }, body: snsError('InvalidAction', `Unknown action ${params.Action}`, requestId) };
  }
  // SNS refuses numbers it cannot route; the 555-0100 block stands in for one here.
  if (params.PhoneNumber?.startsWith('+1555010')) {
    return { status: 400, headers: { 'Content-Type': 'text/xml' }, body: snsError('InvalidParameter', `Invalid parameter: PhoneNumber Reason: ${params.PhoneNumber} is not valid to publish to`, requestId) };
  }
  const body =
    `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">` +
    `<PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</PublishResponse>`;
  return { status: 200, headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, body };
}

function snsError(code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">` +
    `<Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

describe('SMS through Amazon SNS Publish (Query protocol endpoint)', () => {
  let sns: HttpEndpoint;
  let server: TestServer;

  before(async () => {
    sns = await startHttpEndpoint(snsPublishResponder);
    server = await startTestServer({ args: ['--config', writeConfig({ sms: { sender: 'sns', endpoint: sns.url, region: 'eu-west-1' } })] });
  });
  after(async () => {
    await server.stop();
    await sns.close();
  });

  test('publishes to the phone number as a Transactional SMS, signed for the configured Region', async () => {
    const { clientId } = await createPool(server.client(), SMS_POOL);
    await signUpWithPhone(server.client(), clientId, 'published', '+447700900123');
    const entry = await reaches(server, 'published', 'sent');
    assert.equal(entry.attempts, 1);
    const call = sns.requests.find((r) => form(r).PhoneNumber === '+447700900123');
    assert.ok(call);
    assert.equal(call.method, 'POST');
    assert.match(String(call.headers['content-type']), /^application\/x-www-form-urlencoded/u);
    assert.match(String(call.headers.authorization), /^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/eu-west-1\/sns\/aws4_request, /u);
    assert.deepEqual(form(call), {
      Action: 'Publish',
      Version: '2010-03-31',
      PhoneNumber: '+447700900123',
      Message: `Your verification code is ${entry.code}. `,
      'MessageAttributes.entry.1.Name': 'AWS.SNS.SMS.SMSType',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'Transactional',
    });
  });

  test('an InvalidParameter answer fails the message for good after one try, with the reason recorded', async () => {
    const { clientId } = await createPool(server.client(), SMS_POOL);
    await signUpWithPhone(server.client(), clientId, 'unroutable', '+15550100999');
    const entry = await reaches(server, 'unroutable', 'failed');
    assert.equal(entry.attempts, 1);
    assert.match(entry.lastError ?? '', /^SNS InvalidParameterException: Invalid parameter: PhoneNumber/u);
    assert.equal(sns.requests.filter((r) => form(r).PhoneNumber === '+15550100999').length, 1);
  });
});
