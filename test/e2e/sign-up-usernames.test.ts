/** @module The username rules SignUp enforces (spec §5.1, §7.1), with their exact messages. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignUpCommand, type CognitoIdentityProviderClient, type CreateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects, userState } from '../helpers/cognito.ts';
import { PASSWORD, createPool } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('SignUp username rules (spec §5.1)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  after(() => server.stop());

  const poolWith = (settings: Partial<CreateUserPoolCommandInput>) => createPool(idp, settings);
  const signUp = (clientId: string, username: string, attributes: Record<string, string> = {}) =>
    idp.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
  const invalid = (message: string) => ({ type: 'InvalidParameterException', message });

  test('UsernameAttributes [email]: the username must be an email', async () => {
    const { clientId } = await poolWith({ UsernameAttributes: ['email'] });
    await assertRejects(() => signUp(clientId, 'plainname'), invalid('Username should be an email.'));
    await assertRejects(() => signUp(clientId, '+15555550100'), invalid('Username should be an email.'));
  });

  test('UsernameAttributes [phone_number]: the username must be a phone number', async () => {
    const { clientId } = await poolWith({ UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] });
    await assertRejects(() => signUp(clientId, 'someone@example.com'), invalid('Username should be a phone number.'));
  });

  test('UsernameAttributes [email, phone_number]: either is accepted, anything else is not', async () => {
    const { poolId, clientId } = await poolWith({ UsernameAttributes: ['email', 'phone_number'] });
    await assertRejects(() => signUp(clientId, 'plainname'), invalid('Username should be either an email or a phone number.'));
    await signUp(clientId, 'both@example.com');
    await signUp(clientId, '+15555550101');
    assert.equal((await userState(idp, poolId, '+15555550101')).attributes.phone_number, '+15555550101');
    assert.equal((await userState(idp, poolId, 'both@example.com')).attributes.email, 'both@example.com');
  });

  test('AliasAttributes [email]: an email-shaped username is refused', async () => {
    const { clientId } = await poolWith({ AliasAttributes: ['email'] });
    await assertRejects(
      () => signUp(clientId, 'looks@like.email', { email: 'looks@like.email' }),
      invalid('Username cannot be of email format, since user pool is configured for email alias.'),
    );
  });

  test('AliasAttributes [phone_number]: a phone-shaped username is refused', async () => {
    const { clientId } = await poolWith({ AliasAttributes: ['phone_number'], AutoVerifiedAttributes: [] });
    await assertRejects(
      () => signUp(clientId, '+15555550102'),
      invalid('Username cannot be of phone number format, since user pool is configured for phone number alias.'),
    );
  });

  test('an existing username, in any status, is UsernameExistsException "User already exists"', async () => {
    const { clientId } = await poolWith({});
    await signUp(clientId, 'taken', { email: 'taken@example.com' });
    await assertRejects(() => signUp(clientId, 'taken', { email: 'other@example.com' }), { type: 'UsernameExistsException', message: 'User already exists' });
  });

  test('PreventUserExistenceErrors does not apply to SignUp: a taken username is still reported', async () => {
    const { clientId } = await createPool(idp, {}, { PreventUserExistenceErrors: 'ENABLED' });
    await signUp(clientId, 'taken-hidden', { email: 'th@example.com' });
    await assertRejects(() => signUp(clientId, 'taken-hidden', { email: 'th@example.com' }), { type: 'UsernameExistsException', message: 'User already exists' });
  });

  test('email-as-username pools: a taken email is "An account with the given email already exists."', async () => {
    const { clientId } = await poolWith({ UsernameAttributes: ['email'] });
    await signUp(clientId, 'dup@example.com');
    await assertRejects(() => signUp(clientId, 'dup@example.com'), { type: 'UsernameExistsException', message: 'An account with the given email already exists.' });
  });

  test('usernames differ only by case: two users when case-sensitive, one when not', async () => {
    const sensitive = await poolWith({});
    await signUp(sensitive.clientId, 'Mixed', { email: 'm1@example.com' });
    await signUp(sensitive.clientId, 'mixed', { email: 'm2@example.com' });
    assert.equal((await userState(idp, sensitive.poolId, 'Mixed')).attributes.email, 'm1@example.com');
    assert.equal((await userState(idp, sensitive.poolId, 'mixed')).attributes.email, 'm2@example.com');

    const insensitive = await poolWith({ UsernameConfiguration: { CaseSensitive: false } });
    await signUp(insensitive.clientId, 'Mixed', { email: 'm1@example.com' });
    await assertRejects(() => signUp(insensitive.clientId, 'mixed', { email: 'm2@example.com' }), { type: 'UsernameExistsException', message: 'User already exists' });
    assert.equal((await userState(idp, insensitive.poolId, 'MIXED')).username, 'Mixed', 'the username keeps the case it was signed up with');
  });

  test('a username outside the model pattern fails shape validation without echoing the value', async () => {
    const { clientId } = await poolWith({});
    await assertRejects(
      () => signUp(clientId, 'two words'),
      invalid("1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+"),
    );
  });
});
