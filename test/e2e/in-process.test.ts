/** @module In-process use (issue 2 item 9): `startLocalServer()` from the package entry, driven by the real SDK. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdminGetUserCommand, ConfirmSignUpCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startLocalServer } from 'userpool';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { sdkClient } from '../helpers/server.ts';

describe('startLocalServer', () => {
  it('starts on a free loopback port in this process and serves the SDK end to end', async (t) => {
    const server = await startLocalServer();
    t.after(() => server.close());
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/u);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    assert.notEqual(server.port, 9229);
    assert.equal((await fetch(`${server.url}/health`)).status, 200);

    const client = sdkClient(server.url);
    t.after(() => client.destroy());
    const { poolId, clientId } = await createPool(client);
    await signUp(client, clientId, 'inproc');
    const outbox = (await (await fetch(`${server.url}/_userpool/outbox?username=inproc`)).json()) as { messages: { code: string }[] };
    await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'inproc', ConfirmationCode: outbox.messages[0]!.code }));
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'inproc' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
  });

  it('gives each server its own port and its own empty database', async (t) => {
    const a = await startLocalServer();
    t.after(() => a.close());
    const b = await startLocalServer();
    t.after(() => b.close());
    assert.notEqual(a.port, b.port);
    const client = sdkClient(a.url);
    t.after(() => client.destroy());
    const { poolId } = await createPool(client);
    const onB = await fetch(b.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.DescribeUserPool' },
      body: JSON.stringify({ UserPoolId: poolId }),
    });
    assert.equal(((await onB.json()) as { __type: string }).__type, 'ResourceNotFoundException');
  });

  it('takes overrides such as declared pools and a Region', async (t) => {
    const server = await startLocalServer({ region: 'eu-north-1', pools: [{ id: 'eu-north-1_Declared1', name: 'declared', clients: [{ id: 'declaredclient000000000001', name: 'web' }] }] });
    t.after(() => server.close());
    const client = sdkClient(server.url);
    t.after(() => client.destroy());
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: 'eu-north-1_Declared1' }));
    assert.equal(UserPool!.Arn, 'arn:aws:cognito-idp:eu-north-1:000000000000:userpool/eu-north-1_Declared1');
  });

  it('close() stops listening, and calling it twice is harmless', async () => {
    const server = await startLocalServer();
    await fetch(`${server.url}/health`);
    await server.close();
    await server.close();
    await assert.rejects(fetch(`${server.url}/health`));
  });

  it('refuses a bad override with the same message as the CLI', async () => {
    await assert.rejects(startLocalServer({ region: 'moon' }), /region "moon" is not an AWS Region/u);
  });
});
