/**
 * @module AttributesRequireVerificationBeforeUpdate through the SDK v3: the old email stays active
 * (GetUser, AdminGetUser, sign-in, alias, ListUsers) while the new one waits; VerifyUserAttribute
 * or an administrator's email_verified=true puts it in place. Also the sign-in names of
 * username-attribute pools, which move at once and must stay unique.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects } from '../helpers/cognito.ts';
import { createPool, PASSWORD } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const NO_USER = AWS_ERRORS.userNotFound;
const FLOWS = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH' as const, 'ALLOW_REFRESH_TOKEN_AUTH' as const] };
type Attributes = Record<string, string>;

describe('attribute changes that wait for verification', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(
      idp,
      { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } },
      FLOWS,
    ));
  });
  after(() => server.stop());

  const signIn = async (login: string, client = clientId) =>
    (await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client, AuthParameters: { USERNAME: login, PASSWORD } }))).AuthenticationResult!
      .AccessToken!;
  const signedIn = async (username: string, email: string, client = clientId) => {
    await idp.send(new SignUpCommand({ ClientId: client, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
    await idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: username, ConfirmationCode: await server.latestCode(username) }));
    return signIn(username, client);
  };
  const own = async (AccessToken: string): Promise<Attributes> =>
    Object.fromEntries(((await idp.send(new GetUserCommand({ AccessToken }))).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
  const admin = async (Username: string, pool = poolId): Promise<Attributes> =>
    Object.fromEntries(((await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username }))).UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));
  const list = (attributes: Attributes) => Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));
  const update = (AccessToken: string, attributes: Attributes) => idp.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: list(attributes) }));
  const adminUpdate = (Username: string, attributes: Attributes, pool = poolId) =>
    idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username, UserAttributes: list(attributes) }));
  const verify = (AccessToken: string, Code: string) => idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code }));
  const usersWithEmail = async (email: string) =>
    ((await idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email}"` }))).Users ?? []).map((u) => u.Username);
  const emailOf = (a: Attributes) => [a.email, a.email_verified];

  test('the old email stays active everywhere until the new one is verified, then the new one takes its place', async () => {
    const token = await signedIn('keeper', 'keeper@old.example');
    const out = await update(token, { email: 'keeper@new.example', given_name: 'Kay' });
    assert.deepEqual(out.CodeDeliveryDetailsList, [{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'k***@n***' }]);
    const message = (await server.outbox('keeper')).pop()!;
    assert.equal(message.destination, 'keeper@new.example', 'the code goes to the new address');

    assert.deepEqual(emailOf(await own(token)), ['keeper@old.example', 'true']);
    assert.deepEqual(emailOf(await admin('keeper')), ['keeper@old.example', 'true']);
    assert.equal((await own(token)).given_name, 'Kay', 'other attributes of the request apply at once');
    assert.ok(await signIn('keeper@old.example'), 'the old address still signs in');
    await assertRejects(() => signIn('keeper@new.example'), NO_USER);
    assert.deepEqual(await usersWithEmail('keeper@old.example'), ['keeper']);
    assert.deepEqual(await usersWithEmail('keeper@new.example'), [], 'ListUsers sees the active value, not the pending one');

    await verify(token, message.code!);
    assert.deepEqual(emailOf(await own(token)), ['keeper@new.example', 'true']);
    assert.deepEqual(emailOf(await admin('keeper')), ['keeper@new.example', 'true']);
    assert.ok(await signIn('keeper@new.example'));
    await assertRejects(() => signIn('keeper@old.example'), NO_USER);
    assert.deepEqual(await usersWithEmail('keeper@new.example'), ['keeper']);
    assert.deepEqual(await usersWithEmail('keeper@old.example'), []);
  });

  test('GetUserAttributeVerificationCode sends a new code to the waiting address; the old code no longer works', async () => {
    const token = await signedIn('resender', 'resender@old.example');
    await update(token, { email: 'resender@new.example' });
    const first = await server.latestCode('resender');
    const out = await idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }));
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'r***@n***' });
    const message = (await server.outbox('resender')).pop()!;
    assert.equal(message.destination, 'resender@new.example');
    if (message.code !== first) await assertRejects(() => verify(token, first), { type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
    await verify(token, message.code!);
    assert.deepEqual(emailOf(await own(token)), ['resender@new.example', 'true']);
  });

  test('the same address again withdraws the waiting one', async () => {
    const token = await signedIn('undo', 'undo@old.example');
    await update(token, { email: 'undo@new.example' });
    const code = await server.latestCode('undo');
    await update(token, { email: 'undo@old.example' });
    await assertRejects(() => verify(token, code), { type: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
    assert.deepEqual(emailOf(await own(token)), ['undo@old.example', 'true']);
  });

  test('AdminUpdateUserAttributes without the flag: a code goes out and the value waits; email_verified=true then applies it', async () => {
    await signedIn('managed', 'managed@old.example');
    const before = (await server.outbox('managed')).length;
    assert.deepEqual(Object.keys(await adminUpdate('managed', { email: 'managed@new.example' })), ['$metadata'], 'the admin operation answers {}');
    const messages = await server.outbox('managed');
    assert.equal(messages.length, before + 1, 'the user is sent a code, as AWS documents');
    assert.equal(messages.pop()!.destination, 'managed@new.example');
    assert.deepEqual(emailOf(await admin('managed')), ['managed@old.example', 'true']);

    await adminUpdate('managed', { email_verified: 'true' });
    assert.deepEqual(emailOf(await admin('managed')), ['managed@new.example', 'true']);
    assert.ok(await signIn('managed@new.example'));
  });

  test('AdminUpdateUserAttributes with email and email_verified=true applies the address verified, with no message', async () => {
    await signedIn('direct', 'direct@old.example');
    const before = (await server.outbox('direct')).length;
    await adminUpdate('direct', { email: 'direct@new.example', email_verified: 'true' });
    assert.deepEqual(emailOf(await admin('direct')), ['direct@new.example', 'true']);
    assert.equal((await server.outbox('direct')).length, before);
    assert.ok(await signIn('direct@new.example'));
    await assertRejects(() => signIn('direct@old.example'), NO_USER);
    // Onto an address someone else holds: AliasExistsException, nothing changes.
    await assertRejects(() => adminUpdate('direct', { email: 'keeper@new.example', email_verified: 'true' }), {
      type: 'AliasExistsException',
      message: 'An account with the email already exists.',
    });
    assert.deepEqual(emailOf(await admin('direct')), ['direct@new.example', 'true']);
  });

  test('an address another user holds: the code is sent, verification is refused with AliasExistsException', async () => {
    const token = await signedIn('late-claim', 'late-claim@old.example');
    await update(token, { email: 'keeper@new.example' });
    const code = await server.latestCode('late-claim');
    await assertRejects(() => verify(token, code), { type: 'AliasExistsException', message: 'An account with the email already exists.' });
    assert.deepEqual(emailOf(await own(token)), ['late-claim@old.example', 'true'], 'the old address stays active and verified');
    assert.ok(await signIn('keeper@new.example'), 'the holder keeps the alias');
  });

  describe('a pool that signs in with the email address (UsernameAttributes)', () => {
    let emailPool: string;
    let emailClient: string;
    before(async () => {
      ({ poolId: emailPool, clientId: emailClient } = await createPool(idp, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }, FLOWS));
    });
    /** The username is a UUID in these pools: the sign-up answer names it, and the outbox files codes under it. */
    const member = async (email: string) => {
      const { UserSub } = await idp.send(new SignUpCommand({ ClientId: emailClient, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
      await idp.send(new ConfirmSignUpCommand({ ClientId: emailClient, Username: email, ConfirmationCode: await server.latestCode(UserSub!) }));
      return signIn(email, emailClient);
    };

    test('a new address applies at once, unverified, and signs in; the old one no longer does', async () => {
      const token = await member('first@example.com');
      await update(token, { email: 'second@example.com' });
      const user = (await idp.send(new GetUserCommand({ AccessToken: token }))).Username!;
      assert.deepEqual(emailOf(await admin(user, emailPool)), ['second@example.com', 'false']);
      assert.ok(await signIn('second@example.com', emailClient));
      await assertRejects(() => signIn('first@example.com', emailClient), NO_USER);
    });

    test('an address another user signs in with: AliasExistsException with SignUp\'s wording, nothing changes', async () => {
      await member('taken@example.com');
      const token = await member('other@example.com');
      await assertRejects(() => update(token, { email: 'taken@example.com' }), { type: 'AliasExistsException', message: 'An account with the given email already exists.' });
      assert.deepEqual(emailOf(await own(token)), ['other@example.com', 'true']);
      assert.ok(await signIn('other@example.com', emailClient));
    });
  });
});
