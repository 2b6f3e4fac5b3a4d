/**
 * @module The Lambda Invoke transport on the wire: what the server sends to a Lambda-compatible
 * endpoint, and how Lambda's answers — function errors, service errors, throttling, timeouts, an
 * unreachable endpoint — become Cognito's errors (spec §6.1, §6.5).
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AdminGetUserCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EventLog, functionArn } from '../fixtures/trigger-fixtures.ts';
import { assertRejects, writeConfig } from '../helpers/cognito.ts';
import { PASSWORD, createPool } from '../helpers/fixtures.ts';
import { startLambdaEndpoint, type LambdaEndpoint } from '../helpers/lambda-endpoint.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe('triggers through the Lambda Invoke API', () => {
  const log = new EventLog();
  let lambda: LambdaEndpoint;
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  // A function in another Region than the server's: the client must sign for the ARN's Region.
  const presignup = functionArn('pre-sign-up', 'eu-west-1');

  before(async () => {
    process.env.USERPOOL_FIXTURE_LOG = log.file;
    lambda = await startLambdaEndpoint({
      'pre-sign-up': { fixture: 'pre-sign-up' },
      denied: { error: 'AccessDeniedException' },
      throttled: { error: 'TooManyRequestsException' },
      'throttled-twice': { error: 'TooManyRequestsException', times: 2, fixture: 'pre-sign-up' },
      broken: { error: 'ServiceException' },
      slow: { fixture: 'slow' },
    });
    const viaLambda = { lambda: { endpoint: lambda.url } };
    const functions: Record<string, unknown> = {
      [presignup]: viaLambda,
      ...Object.fromEntries(['denied', 'throttled', 'throttled-twice', 'broken', 'slow', 'missing'].map((name) => [functionArn(name), viaLambda])),
      [functionArn('unreachable')]: { lambda: { endpoint: `http://127.0.0.1:${await closedPort()}`, region: 'us-east-1' } },
    };
    server = await startTestServer({ args: ['--config', writeConfig({ functions })] });
    idp = server.client();
  });
  after(async () => {
    await server.stop();
    await lambda.close();
  });

  const poolWith = (arn: string) => createPool(idp, { LambdaConfig: { PreSignUp: arn } });
  const signUp = (clientId: string, username: string, metadata?: Record<string, string>) =>
    idp.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
        ...(metadata ? { ClientMetadata: metadata } : {}),
      }),
    );
  const invocationsOf = (name: string) => lambda.invocations.filter((i) => i.functionName === name);

  test('sends a signed RequestResponse Invoke for the full ARN, with the event as the payload', async () => {
    const { poolId, clientId } = await poolWith(presignup);
    await signUp(clientId, 'wire');
    const [call] = invocationsOf('pre-sign-up');
    assert.ok(call);
    assert.equal(call.request.method, 'POST');
    assert.equal(call.request.path, `/2015-03-31/functions/${encodeURIComponent(presignup)}/invocations`);
    assert.equal(call.request.headers['x-amz-invocation-type'], 'RequestResponse');
    assert.match(String(call.request.headers.authorization), /^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/eu-west-1\/lambda\/aws4_request, /u);
    const [recorded] = log.forPool(poolId);
    assert.deepEqual(JSON.parse(call.request.body), recorded);
    assert.equal(recorded?.triggerSource, 'PreSignUp_SignUp');
  });

  test('an Unhandled function error is UserLambdaValidationException quoting errorMessage only', async () => {
    const { clientId } = await poolWith(presignup);
    const before = invocationsOf('pre-sign-up').length;
    await assertRejects(() => signUp(clientId, 'unhandled', { reject: 'Domain not allowed' }), {
      type: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Domain not allowed.',
    });
    // A function that ran and failed is not retried.
    assert.equal(invocationsOf('pre-sign-up').length, before + 1);
  });

  test('AccessDeniedException from Lambda is UnexpectedLambdaException, not retried, and no user is created', async () => {
    const { poolId, clientId } = await poolWith(functionArn('denied'));
    await assertRejects(() => signUp(clientId, 'denied'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error AccessDeniedException.',
    });
    assert.equal(invocationsOf('denied').length, 1);
    await assertRejects(() => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'denied' })), {
      type: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });

  test('a function Lambda does not know is ResourceNotFoundException', async () => {
    const { clientId } = await poolWith(functionArn('missing'));
    await assertRejects(() => signUp(clientId, 'missing'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ResourceNotFoundException.',
    });
    assert.equal(invocationsOf('missing').length, 1);
  });

  test('an ARN with no entry in `functions` fails the same way, without any call', async () => {
    const { clientId } = await poolWith(functionArn('undeclared'));
    await assertRejects(() => signUp(clientId, 'undeclared'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ResourceNotFoundException.',
    });
    assert.equal(invocationsOf('undeclared').length, 0);
  });

  test('throttling is retried: three attempts in all, then TooManyRequestsException', async () => {
    const { clientId } = await poolWith(functionArn('throttled'));
    await assertRejects(() => signUp(clientId, 'throttled'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error TooManyRequestsException.',
    });
    assert.equal(invocationsOf('throttled').length, 3);
  });

  test('a Lambda service fault is retried the same way', async () => {
    const { clientId } = await poolWith(functionArn('broken'));
    await assertRejects(() => signUp(clientId, 'broken'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ServiceException.',
    });
    assert.equal(invocationsOf('broken').length, 3);
  });

  test('throttled twice, then answered: the third attempt counts and the sign-up succeeds', async () => {
    const { poolId, clientId } = await poolWith(functionArn('throttled-twice'));
    const out = await signUp(clientId, 'patient');
    assert.equal(out.UserConfirmed, false);
    assert.equal(invocationsOf('throttled-twice').length, 3);
    assert.deepEqual(log.forPool(poolId).map((e) => e.triggerSource), ['PreSignUp_SignUp']);
  });

  test('an endpoint nobody listens on is UnexpectedLambdaException naming the connection error', async () => {
    const { clientId } = await poolWith(functionArn('unreachable'));
    await assertRejects(() => signUp(clientId, 'unreachable'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ECONNREFUSED.',
    });
  });

  test('a function slower than 5 seconds times out three times, then the sign-up fails (spec §6.1)', async () => {
    const { poolId, clientId } = await poolWith(functionArn('slow'));
    await assertRejects(() => signUp(clientId, 'slowpoke'), {
      type: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
    assert.equal(invocationsOf('slow').length, 3);
    assert.equal(log.forPool(poolId).length, 3);
  });
});
