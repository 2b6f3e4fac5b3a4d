/**
 * @module The HTTP transport on the wire: a signed JSON POST of the event (Standard Webhooks
 * headers), and how the receiver's answers and failures become Cognito's errors (spec §6.5).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EventLog, functionArn } from '../fixtures/trigger-fixtures.ts';
import { assertRejects, writeConfig } from '../helpers/cognito.ts';
import { PASSWORD, createPool } from '../helpers/fixtures.ts';
import { signatureValid, startHttpEndpoint, triggerFixtureResponder, type HttpEndpoint } from '../helpers/http-endpoint.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const SECRET_BYTES = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
/** The same key in the Standard Webhooks `whsec_<base64>` form a receiver library would be given. */
const SECRET = `whsec_${SECRET_BYTES.toString('base64')}`;

describe('triggers through signed HTTP calls', () => {
  const log = new EventLog();
  let endpoint: HttpEndpoint;
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;

  before(async () => {
    process.env.USERPOOL_FIXTURE_LOG = log.file;
    const fixtures = triggerFixtureResponder(SECRET_BYTES);
    endpoint = await startHttpEndpoint((request) => (request.path === '/unavailable' ? { status: 503, body: 'down for maintenance' } : fixtures(request)));
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const functions = {
      [functionArn('pre-sign-up')]: { url: `${endpoint.url}/pre-sign-up`, secret: SECRET },
      [functionArn('wrong-key')]: { url: `${endpoint.url}/pre-sign-up`, secret: 'not-the-receivers-key' },
      [functionArn('unsigned')]: { url: `${endpoint.url}/pre-sign-up` },
      [functionArn('unavailable')]: { url: `${endpoint.url}/unavailable`, secret: SECRET },
      [functionArn('unreachable')]: { url: `http://127.0.0.1:${closed}/hook`, secret: SECRET },
    };
    server = await startTestServer({ args: ['--config', writeConfig({ functions })] });
    idp = server.client();
  });
  after(async () => {
    await server.stop();
    await endpoint.close();
  });

  const poolWith = (name: string) => createPool(idp, { LambdaConfig: { PreSignUp: functionArn(name) } });
  const signUp = (clientId: string, username: string) =>
    idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));
  const callsTo = (path: string) => endpoint.requests.filter((r) => r.path === path);

  test('POSTs the event as JSON with a Standard Webhooks signature the receiver can verify', async () => {
    const { poolId, clientId } = await poolWith('pre-sign-up');
    const before = endpoint.requests.length;
    await signUp(clientId, 'signed');
    const call = endpoint.requests[before]!;
    assert.equal(call.method, 'POST');
    assert.equal(call.path, '/pre-sign-up');
    assert.equal(call.headers['content-type'], 'application/json');
    assert.equal(call.headers['x-userpool-function-arn'], functionArn('pre-sign-up'));
    assert.match(String(call.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/u);
    assert.ok(signatureValid(call, SECRET_BYTES));
    // Receivers reject stale timestamps to stop replays; the server stamps the time of sending.
    assert.ok(Math.abs(Number(call.headers['webhook-timestamp']) - Date.now() / 1000) < 300);
    assert.deepEqual(JSON.parse(call.body), log.forPool(poolId)[0]);
  });

  test('a receiver that rejects the signature (server holds another key) fails the sign-up once, unretried', async () => {
    const { clientId } = await poolWith('wrong-key');
    const before = callsTo('/pre-sign-up').length;
    await assertRejects(() => signUp(clientId, 'forged'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error HTTP 401.',
    });
    assert.equal(callsTo('/pre-sign-up').length, before + 1);
    assert.equal(signatureValid(callsTo('/pre-sign-up').at(-1)!, SECRET_BYTES), false);
  });

  test('without a secret the call carries no signature, and a verifying receiver refuses it', async () => {
    const { clientId } = await poolWith('unsigned');
    const before = callsTo('/pre-sign-up').length;
    await assertRejects(() => signUp(clientId, 'unsigned'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error HTTP 401.',
    });
    assert.equal(callsTo('/pre-sign-up')[before]?.headers['webhook-signature'], undefined);
  });

  test('a 5xx without an error document is retried, three attempts in all', async () => {
    const { clientId } = await poolWith('unavailable');
    await assertRejects(() => signUp(clientId, 'unavailable'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error HTTP 503.',
    });
    assert.equal(callsTo('/unavailable').length, 3);
  });

  test('a URL nobody listens on is UnexpectedLambdaException naming the connection error', async () => {
    const { clientId } = await poolWith('unreachable');
    await assertRejects(() => signUp(clientId, 'unreachable'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ECONNREFUSED.',
    });
  });
});

describe('function and SMS declarations are checked at start-up', () => {
  const refused = async (config: Record<string, unknown>, env: Record<string, string> = {}) => {
    const error = await startTestServer({ args: ['--config', writeConfig(config)], env }).then(
      async (server) => {
        await server.stop();
        throw new Error('the server started');
      },
      (e: Error) => e,
    );
    assert.match(error.message, /^server exited with 2:/u);
    return error.message;
  };

  test('an entry naming two transports, or none, stops the server with a message naming it', async () => {
    const arn = functionArn('confused');
    assert.match(await refused({ functions: { [arn]: { module: './x.mjs', url: 'http://127.0.0.1:1/x' } } }), /functions\["arn:aws:lambda:us-east-1:000000000000:function:confused"\] needs exactly one of module, url or lambda/u);
    assert.match(await refused({ functions: { [arn]: {} } }), /needs exactly one of module, url or lambda/u);
  });

  test('the production profile refuses an unsigned url function', async () => {
    const message = await refused(
      { functions: { [functionArn('open')]: { url: 'https://hooks.example.com/open' } } },
      { USERPOOL_PROFILE: 'production', USERPOOL_SECRET_KEY: randomBytes(32).toString('hex') },
    );
    assert.match(message, /needs a secret to sign its calls in the production profile/u);
  });

  test('a webhook SMS sender without a URL stops the server', async () => {
    assert.match(await refused({ sms: { sender: 'webhook' } }), /sms\.url must be an http:\/\/ or https:\/\/ URL/u);
  });
});
