/** @module Data survives restarts: sign up, stop (cleanly or by SIGKILL), start on the same SQLite file, confirm. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdminGetUserCommand, ConfirmSignUpCommand, DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

async function restartScenario(t: { after: (fn: () => Promise<void>) => void }, stop: (s: TestServer) => Promise<void>): Promise<void> {
  const db = tempDbPath();
  const first = await startTestServer({ db });
  t.after(() => first.stop());
  const { poolId, clientId } = await createPool(first.client(), {}, { GenerateSecret: false });
  await signUp(first.client(), clientId, 'survivor');
  const codeBefore = await first.latestCode('survivor');
  await stop(first);

  const second = await startTestServer({ db });
  t.after(() => second.stop());
  // The outbox, the pool, the client and the code's digest key all come back from the file.
  const code = await second.latestCode('survivor');
  assert.equal(code, codeBefore);
  const client = await second.client().send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.equal(client.UserPoolClient?.ClientId, clientId);
  await second.client().send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'survivor', ConfirmationCode: code }));
  const user = await second.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'survivor' }));
  assert.equal(user.UserStatus, 'CONFIRMED');
  assert.equal(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true');
  await second.stop();

  // A third start sees the confirmation.
  const third = await startTestServer({ db });
  t.after(() => third.stop());
  const again = await third.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'survivor' }));
  assert.equal(again.UserStatus, 'CONFIRMED');
}

describe('restart', () => {
  it('keeps an unconfirmed user and its code across a clean stop (SIGTERM)', (t) => restartScenario(t, (s) => s.stop()));
  it('keeps an acknowledged sign-up across a crash (SIGKILL)', (t) => restartScenario(t, (s) => s.kill()));
});
