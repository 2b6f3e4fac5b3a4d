/**
 * @module PreventUserExistenceErrors ENABLED: an unknown username is answered, limited and costed
 * like a known one, so neither the error, nor the attempt limit, nor the work done tells them apart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfirmSignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, rejection, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('ConfirmSignUp for unknown users with PreventUserExistenceErrors ENABLED', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let clientId: string;
  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ clientId } = await createPool(idp, {}, { PreventUserExistenceErrors: 'ENABLED' }));
    await signUp(idp, clientId, 'known');
  });
  after(() => server.stop());

  const errorsFor = async (username: string, n: number) => {
    const seen: string[] = [];
    for (let i = 0; i < n; i++) {
      const error = await rejection(() => idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: '000000' })));
      seen.push(`${error.name}: ${error.message}`);
    }
    return seen;
  };

  test('the same sequence of errors, limit included, for a known and an unknown username', async () => {
    const known = await errorsFor('known', 17);
    const unknown = await errorsFor('nobody-by-that-name', 17);
    assert.deepEqual(unknown, known);
    assert.equal(known[0], 'CodeMismatchException: Invalid verification code provided, please try again.');
    assert.equal(known[16], 'LimitExceededException: Attempt limit exceeded, please try after some time.');
  });

  test('attempts on one unknown name do not limit another', async () => {
    assert.deepEqual(await errorsFor('someone-else', 1), ['CodeMismatchException: Invalid verification code provided, please try again.']);
  });
});
