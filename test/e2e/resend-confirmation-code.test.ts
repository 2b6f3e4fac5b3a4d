/**
 * @module ResendConfirmationCode (spec §7.2): a new code to the auto-verified attribute, and what
 * unknown, disabled and confirmed users see under each PreventUserExistenceErrors setting (spec §5.4).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminDisableUserCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects, userState } from '../helpers/cognito.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('ResendConfirmationCode (spec §7.2)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let legacy: { poolId: string; clientId: string };
  let hiding: { poolId: string; clientId: string };

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    legacy = await createPool(idp);
    hiding = await createPool(idp, {}, { PreventUserExistenceErrors: 'ENABLED' });
  });
  after(() => server.stop());

  const resend = (ClientId: string, Username: string) => idp.send(new ResendConfirmationCodeCommand({ ClientId, Username }));

  test('sends a new code to the address SignUp used and says where', async () => {
    await signUp(idp, legacy.clientId, 'rc-user', 'rachel@example.org');
    const out = await resend(legacy.clientId, 'rc-user');
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'r***@e***' });
    const messages = await server.outbox('rc-user');
    assert.equal(messages.length, 2);
    assert.equal(messages[1]!.destination, 'rachel@example.org');
    assert.match(messages[1]!.code!, /^[0-9]{6}$/u);
  });

  test('LEGACY: unknown → UserNotFoundException, disabled → "User is disabled.", confirmed → "User is already confirmed."', async () => {
    await assertRejects(() => resend(legacy.clientId, 'rc-nobody'), { type: 'UserNotFoundException', message: 'Username/client id combination not found.' });

    await signUp(idp, legacy.clientId, 'rc-disabled');
    await idp.send(new AdminDisableUserCommand({ UserPoolId: legacy.poolId, Username: 'rc-disabled' }));
    await assertRejects(() => resend(legacy.clientId, 'rc-disabled'), { type: 'NotAuthorizedException', message: 'User is disabled.' });

    await signUp(idp, legacy.clientId, 'rc-confirmed');
    await idp.send(new ConfirmSignUpCommand({ ClientId: legacy.clientId, Username: 'rc-confirmed', ConfirmationCode: await server.latestCode('rc-confirmed') }));
    await assertRejects(() => resend(legacy.clientId, 'rc-confirmed'), { type: 'InvalidParameterException', message: 'User is already confirmed.' });

    assert.equal((await server.outbox('rc-disabled')).length, 1);
    assert.equal((await server.outbox('rc-confirmed')).length, 1);
  });

  test('ENABLED: unknown, disabled and confirmed users get a simulated delivery and nothing is sent', async () => {
    await signUp(idp, hiding.clientId, 'rc-h-disabled', 'hd@example.com');
    await idp.send(new AdminDisableUserCommand({ UserPoolId: hiding.poolId, Username: 'rc-h-disabled' }));
    await signUp(idp, hiding.clientId, 'rc-h-confirmed', 'hc@example.com');
    await idp.send(new ConfirmSignUpCommand({ ClientId: hiding.clientId, Username: 'rc-h-confirmed', ConfirmationCode: await server.latestCode('rc-h-confirmed') }));

    for (const username of ['rc-h-nobody', 'rc-h-disabled', 'rc-h-confirmed']) {
      const out = await resend(hiding.clientId, username);
      assert.equal(out.CodeDeliveryDetails?.AttributeName, 'email', username);
      assert.equal(out.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL', username);
      assert.match(out.CodeDeliveryDetails?.Destination ?? '', /^.\*\*\*@.\*\*\*$/u, username);
    }
    assert.equal((await server.outbox('rc-h-nobody')).length, 0);
    assert.equal((await server.outbox('rc-h-disabled')).length, 1);
    assert.equal((await server.outbox('rc-h-confirmed')).length, 1);
    assert.equal((await userState(idp, hiding.poolId, 'rc-h-disabled')).status, 'UNCONFIRMED');
  });

  test('ENABLED: an unknown email-shaped login is masked like a real address', async () => {
    const out = await resend(hiding.clientId, 'someone@example.net');
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 's***@e***' });
  });

  test('ENABLED: an existing unconfirmed user still gets a real code', async () => {
    await signUp(idp, hiding.clientId, 'rc-h-real');
    await resend(hiding.clientId, 'rc-h-real');
    assert.equal((await server.outbox('rc-h-real')).length, 2);
  });

  test('a pool that verifies nothing cannot resend', async () => {
    const quiet = await createPool(idp, { AutoVerifiedAttributes: [] });
    await signUp(idp, quiet.clientId, 'rc-quiet');
    await assertRejects(() => resend(quiet.clientId, 'rc-quiet'), {
      type: 'InvalidParameterException',
      message: 'Cannot resend codes. Auto verification not turned on.',
    });
  });

  test('ENABLED, a pool that verifies nothing: unknown and existing users get the same answer', async () => {
    const quiet = await createPool(idp, { AutoVerifiedAttributes: [] }, { PreventUserExistenceErrors: 'ENABLED' });
    await signUp(idp, quiet.clientId, 'rc-h-quiet');
    for (const username of ['rc-h-quiet', 'rc-h-quiet-nobody']) {
      await assertRejects(() => resend(quiet.clientId, username), {
        type: 'InvalidParameterException',
        message: 'Cannot resend codes. Auto verification not turned on.',
      });
    }
  });

  test('an unknown client is ResourceNotFoundException', async () => {
    await assertRejects(() => resend('unknownclient0000000000000', 'anyone'), {
      type: 'ResourceNotFoundException',
      message: 'User pool client unknownclient0000000000000 does not exist.',
    });
  });
});
