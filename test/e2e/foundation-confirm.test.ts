/** @module ConfirmSignUp's core path through the real SDK, each outcome with spec §4.1's exact type and message. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdminGetUserCommand, ConfirmSignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, rejection, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('ConfirmSignUp: core path', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  const confirm = (Username: string, ConfirmationCode: string, ClientId = clientId) =>
    server.client().send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode }));
  const attribute = async (username: string, name: string) =>
    (await server.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserAttributes!.find((a) => a.Name === name)?.Value;
  const status = async (username: string) =>
    (await server.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;

  before(async () => {
    server = await startTestServer();
    ({ poolId, clientId } = await createPool(server.client()));
  });
  after(() => server.stop());

  it('unknown client → ResourceNotFoundException', async () => {
    const error = await rejection(() => confirm('anyone', '123456', '0000000000aaaaaaaaaabbbbbb'));
    assert.equal(error.name, 'ResourceNotFoundException');
    assert.equal(error.message, 'User pool client 0000000000aaaaaaaaaabbbbbb does not exist.');
    assert.equal(error.$metadata?.httpStatusCode, 400);
  });

  it('unknown user → UserNotFoundException', async () => {
    const error = await rejection(() => confirm('nobody', '123456'));
    assert.equal(error.name, 'UserNotFoundException');
    assert.equal(error.message, 'Username/client id combination not found.');
    assert.equal(error.$metadata?.httpStatusCode, 400);
  });

  it('wrong code → CodeMismatchException, and the user stays UNCONFIRMED', async () => {
    await signUp(server.client(), clientId, 'wrong');
    const code = await server.latestCode('wrong');
    const other = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const error = await rejection(() => confirm('wrong', other));
    assert.equal(error.name, 'CodeMismatchException');
    assert.equal(error.message, 'Invalid verification code provided, please try again.');
    assert.equal(await status('wrong'), 'UNCONFIRMED');
    assert.notEqual(await attribute('wrong', 'email_verified'), 'true');
    // The right code still works after a wrong one.
    await confirm('wrong', code);
    assert.equal(await status('wrong'), 'CONFIRMED');
  });

  it('right code → CONFIRMED with email_verified true and an empty response', async () => {
    await signUp(server.client(), clientId, 'right');
    assert.equal(await status('right'), 'UNCONFIRMED');
    const out = await confirm('right', await server.latestCode('right'));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.Session, undefined);
    assert.equal(await status('right'), 'CONFIRMED');
    assert.equal(await attribute('right', 'email_verified'), 'true');
  });

  it('already confirmed → NotAuthorizedException with the current status', async () => {
    await signUp(server.client(), clientId, 'twice');
    const code = await server.latestCode('twice');
    await confirm('twice', code);
    const error = await rejection(() => confirm('twice', code));
    assert.equal(error.name, 'NotAuthorizedException');
    assert.equal(error.message, 'User cannot be confirmed. Current status is CONFIRMED');
    assert.equal(error.$metadata?.httpStatusCode, 400);
  });

  it('a code is bound to its user: another user\'s code does not confirm', async (t) => {
    await signUp(server.client(), clientId, 'first');
    await signUp(server.client(), clientId, 'second');
    const [a, b] = [await server.latestCode('first'), await server.latestCode('second')];
    if (a === b) return t.skip('both users drew the same code (one chance in a million)');
    const error = await rejection(() => confirm('first', b));
    assert.equal(error.name, 'CodeMismatchException');
  });

  it('a client of another pool cannot confirm the user', async () => {
    await signUp(server.client(), clientId, 'elsewhere');
    const { clientId: foreign } = await createPool(server.client());
    const code = await server.latestCode('elsewhere');
    const error = await rejection(() => confirm('elsewhere', code, foreign));
    assert.equal(error.name, 'UserNotFoundException');
    assert.equal(await status('elsewhere'), 'UNCONFIRMED');
  });
});
