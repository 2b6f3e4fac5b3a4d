/**
 * @module Which channel a reset code takes and who hears what (sign-in spec §11): the
 * AccountRecoverySetting priorities, SMS first without it, admin_only, disabled users, client
 * secrets, and PreventUserExistenceErrors, under which unknown, disabled and unreachable users get
 * a simulated delivery or a CodeMismatch, limited exactly like real users.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolCommandInput,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../../src/domain/secret-hash.ts';
import { AWS_ERRORS, assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const MISMATCH = AWS_ERRORS.codeMismatch;
const LIMIT = AWS_ERRORS.attemptLimit;
const NO_CHANNEL = { type: 'InvalidParameterException', message: 'Cannot reset password for the user as there is no registered/verified email or phone_number' };

describe('recovery channels and existence errors', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  after(() => server.stop());

  /** A confirmed user with the given attributes, all of them verified unless told otherwise. */
  const user = async (poolId: string, username: string, attributes: Record<string, string>) => {
    const list = Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, UserAttributes: list, MessageAction: 'SUPPRESS' }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  };
  const both = { email: 'pat@example.com', email_verified: 'true', phone_number: '+15555550123', phone_number_verified: 'true' };
  const poolWith = (settings: Partial<CreateUserPoolCommandInput> = {}, client: Partial<CreateUserPoolClientCommandInput> = {}) =>
    createPool(idp, { AutoVerifiedAttributes: ['email', 'phone_number'], ...settings }, client);
  const forgot = (ClientId: string, Username: string, SecretHash?: string) => idp.send(new ForgotPasswordCommand({ ClientId, Username, SecretHash }));

  test('without AccountRecoverySetting SMS is preferred over email', async () => {
    const { poolId, clientId } = await poolWith();
    await user(poolId, 'pat', both);
    const out = await forgot(clientId, 'pat');
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+*******0123' });
    const [message] = await server.outbox('pat');
    assert.deepEqual([message?.medium, message?.destination], ['SMS', '+15555550123']);
  });

  test('the setting decides by priority, and falls back to the second mechanism when the first is not verified', async () => {
    const { poolId, clientId } = await poolWith({
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_phone_number', Priority: 2 }, { Name: 'verified_email', Priority: 1 }] },
    });
    await user(poolId, 'emailfirst', both);
    assert.equal((await forgot(clientId, 'emailfirst')).CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    await user(poolId, 'phoneonly', { ...both, email_verified: 'false' });
    assert.equal((await forgot(clientId, 'phoneonly')).CodeDeliveryDetails?.DeliveryMedium, 'SMS');
    await user(poolId, 'neither', { ...both, email_verified: 'false', phone_number_verified: 'false' });
    await assertRejects(() => forgot(clientId, 'neither'), NO_CHANNEL);
  });

  test('an email-only setting never falls back to SMS', async () => {
    const { poolId, clientId } = await poolWith({ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] } });
    await user(poolId, 'smsonly', { ...both, email_verified: 'false' });
    await assertRejects(() => forgot(clientId, 'smsonly'), NO_CHANNEL);
  });

  test('admin_only: self-service recovery is refused, for known and unknown users alike', async () => {
    const { poolId, clientId } = await poolWith({ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } });
    await user(poolId, 'managed', both);
    for (const name of ['managed', 'unknown-one']) {
      await assertRejects(() => forgot(clientId, name), { type: 'NotAuthorizedException', message: 'Contact administrator to reset password.' });
    }
    assert.deepEqual(await server.outbox('managed'), []);
  });

  test('a disabled user is told so when existence errors are not prevented', async () => {
    const { poolId, clientId } = await poolWith();
    await user(poolId, 'off', both);
    await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'off' }));
    await assertRejects(() => forgot(clientId, 'off'), { type: 'NotAuthorizedException', message: 'User is disabled.' });
    await assertRejects(() => idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'off', ConfirmationCode: '123456', Password: 'Another-Pass-5' })), {
      type: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
  });

  test('a client with a secret needs SecretHash on both operations', async () => {
    const { poolId, clientId, clientSecret } = await poolWith({}, { GenerateSecret: true });
    await user(poolId, 'secretive', { email: 'secretive@example.com', email_verified: 'true' });
    await assertRejects(() => forgot(clientId, 'secretive'), { type: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${clientId}` });
    await assertRejects(() => forgot(clientId, 'secretive', secretHash('wrong-secret', 'secretive', clientId)), {
      type: 'NotAuthorizedException',
      message: `SecretHash does not match for the client: ${clientId}`,
    });
    await forgot(clientId, 'secretive', secretHash(clientSecret!, 'secretive', clientId));
    const confirm = (SecretHash?: string) =>
      idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'secretive', ConfirmationCode: '000000', Password: 'Another-Pass-5', SecretHash }));
    await assertRejects(() => confirm(), { type: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${clientId}` });
    await idp.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: 'secretive',
        ConfirmationCode: await server.latestCode('secretive'),
        Password: 'Another-Pass-5',
        SecretHash: secretHash(clientSecret!, 'secretive', clientId),
      }),
    );
  });

  describe('with PreventUserExistenceErrors ENABLED', () => {
    let poolId: string;
    let clientId: string;
    before(async () => {
      ({ poolId, clientId } = await poolWith({ AutoVerifiedAttributes: ['email'] }, { PreventUserExistenceErrors: 'ENABLED' }));
      await user(poolId, 'real', { email: 'real@example.com', email_verified: 'true' });
      await user(poolId, 'counted', { email: 'counted@example.com', email_verified: 'true' });
      await user(poolId, 'unreachable', { email: 'unreachable@example.com' });
      await user(poolId, 'disabled', { email: 'disabled@example.com', email_verified: 'true' });
      await user(poolId, 'disabled-too', { email: 'disabled-too@example.com', email_verified: 'true' });
      for (const name of ['disabled', 'disabled-too']) await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: name }));
    });

    test('unknown, disabled and unreachable users get a plausible simulated delivery and nothing is sent', async () => {
      assert.deepEqual((await forgot(clientId, 'ghost@example.com')).CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'g***@e***' });
      assert.deepEqual((await forgot(clientId, 'ghost')).CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'g***@g***' });
      assert.deepEqual((await forgot(clientId, '+15555550199')).CodeDeliveryDetails, { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+*******0199' });
      for (const name of ['disabled', 'unreachable']) assert.equal((await forgot(clientId, name)).CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      for (const name of ['ghost', 'disabled', 'unreachable']) assert.deepEqual(await server.outbox(name), []);
      assert.equal((await forgot(clientId, 'real')).CodeDeliveryDetails?.Destination, 'r***@e***');
    });

    test('ConfirmForgotPassword for unknown and disabled users is a CodeMismatch, after the same policy check', async () => {
      const confirm = (Username: string, Password = 'Another-Pass-5') =>
        idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username, ConfirmationCode: '123456', Password }));
      await assertRejects(() => confirm('nobody-here'), MISMATCH);
      await assertRejects(() => confirm('disabled'), MISMATCH);
      await assertRejects(() => confirm('nobody-here', 'weak'), { type: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
    });

    test('unknown names meet the same limits as real users, so the limit reveals nobody', async () => {
      for (const name of ['limit-ghost', 'counted']) {
        for (let i = 0; i < 5; i++) await forgot(clientId, name);
        await assertRejects(() => forgot(clientId, name), LIMIT);
      }
      const confirm = (Username: string) => idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username, ConfirmationCode: '000001', Password: 'Another-Pass-5' }));
      for (const name of ['guess-ghost', 'disabled-too']) {
        for (let i = 0; i < 5; i++) await assertRejects(() => confirm(name), MISMATCH);
        await assertRejects(() => confirm(name), LIMIT);
      }
    });
  });
});
