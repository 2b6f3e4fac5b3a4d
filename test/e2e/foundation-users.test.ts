/** @module SignUp and the admin user operations through the real SDK (issue 2 item 3, spec §7.1, §7.3). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  ListUsersCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createPool, PASSWORD, rejection, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;

describe('SignUp', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  before(async () => {
    server = await startTestServer();
    ({ poolId, clientId } = await createPool(server.client()));
  });
  after(() => server.stop());

  it('answers UserConfirmed false, a v4 UserSub equal to the sub attribute, and masked CodeDeliveryDetails', async () => {
    const out = await signUp(server.client(), clientId, 'shape', 'someone@example.com');
    assert.equal(out.UserConfirmed, false);
    assert.match(out.UserSub!, UUID_V4);
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 's***@e***' });
    const user = await server.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'shape' }));
    assert.equal(user.UserAttributes!.find((a) => a.Name === 'sub')?.Value, out.UserSub);
    assert.equal(user.UserStatus, 'UNCONFIRMED');
    assert.equal(user.Enabled, true);
    assert.equal(user.UserAttributes!.find((a) => a.Name === 'email')?.Value, 'someone@example.com');
    const [message] = await server.outbox('shape');
    assert.equal(message?.destination, 'someone@example.com');
    assert.match(message?.code ?? '', /^\d{6}$/u);
  });

  it('enforces the default password policy with Cognito wording, in Cognito order', async () => {
    const cases: [string, string][] = [
      ['Ab1!', 'Password did not conform with policy: Password not long enough'],
      ['ABCDEFGH1!', 'Password did not conform with policy: Password must have lowercase characters'],
      ['abcdefgh1!', 'Password did not conform with policy: Password must have uppercase characters'],
      ['Abcdefgh!!', 'Password did not conform with policy: Password must have numeric characters'],
      ['Abcdefgh12', 'Password did not conform with policy: Password must have symbol characters'],
    ];
    for (const [password, message] of cases) {
      const error = await rejection(() =>
        server.client().send(new SignUpCommand({ ClientId: clientId, Username: `pw-${password}`, Password: password })),
      );
      assert.equal(error.name, 'InvalidPasswordException', password);
      assert.equal(error.message, message);
      assert.equal(error.$metadata?.httpStatusCode, 400);
    }
    const users = await server.client().send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username ^= "pw-"' }));
    assert.deepEqual(users.Users, []);
  });

  it("enforces the pool's own policy", async () => {
    const { clientId: relaxed } = await createPool(server.client(), {
      Policies: { PasswordPolicy: { MinimumLength: 6, RequireSymbols: false, RequireUppercase: false, RequireNumbers: false } },
    });
    await server.client().send(new SignUpCommand({ ClientId: relaxed, Username: 'relaxed', Password: 'simple' }));
    const error = await rejection(() => server.client().send(new SignUpCommand({ ClientId: relaxed, Username: 'short', Password: 'abc' })));
    assert.equal(error.message, 'Password did not conform with policy: Password not long enough');
  });

  it('rejects an existing username with UsernameExistsException, whatever its status', async () => {
    await signUp(server.client(), clientId, 'taken');
    const error = await rejection(() => signUp(server.client(), clientId, 'taken', 'other@example.com'));
    assert.equal(error.name, 'UsernameExistsException');
    assert.equal(error.message, 'User already exists');
    await server.client().send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'taken' }));
    const again = await rejection(() => signUp(server.client(), clientId, 'taken'));
    assert.equal(again.name, 'UsernameExistsException');
    assert.equal((await server.outbox('taken')).length, 1, 'a refused sign-up must not send a code');
  });

  it('masks phone numbers and sends no code when no attribute is auto-verified', async () => {
    const { clientId: sms } = await createPool(server.client(), { AutoVerifiedAttributes: ['phone_number'] });
    const out = await server.client().send(
      new SignUpCommand({ ClientId: sms, Username: 'phoned', Password: PASSWORD, UserAttributes: [{ Name: 'phone_number', Value: '+15555554114' }] }),
    );
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+*******4114' });
    const { clientId: none } = await createPool(server.client(), { AutoVerifiedAttributes: [] });
    const quiet = await signUp(server.client(), none, 'quiet');
    assert.equal(quiet.CodeDeliveryDetails, undefined);
    assert.equal(quiet.UserConfirmed, false);
  });
});

describe('admin user operations and ListUsers', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  before(async () => {
    server = await startTestServer();
    ({ poolId, clientId } = await createPool(server.client()));
    for (const name of ['alice', 'albert', 'bob', 'carol', 'dave']) await signUp(server.client(), clientId, name);
  });
  after(() => server.stop());

  it('AdminGetUser answers the model shape with epoch-second timestamps on the wire', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.AdminGetUser' },
      body: JSON.stringify({ UserPoolId: poolId, Username: 'alice' }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['Enabled', 'UserAttributes', 'UserCreateDate', 'UserLastModifiedDate', 'UserStatus', 'Username']);
    assert.match(String(body.UserCreateDate), /^1\d{9}(\.\d{1,3})?$/u);
    assert.equal(body.Username, 'alice');
  });

  it('AdminGetUser of an unknown user is UserNotFoundException', async () => {
    const error = await rejection(() => server.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nobody' })));
    assert.equal(error.name, 'UserNotFoundException');
    assert.equal(error.message, 'User does not exist.');
    assert.equal(error.$metadata?.httpStatusCode, 400);
  });

  it('AdminConfirmSignUp confirms without verifying the email (spec §5.9)', async () => {
    await signUp(server.client(), clientId, 'admin-ok');
    await server.client().send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'admin-ok' }));
    const user = await server.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'admin-ok' }));
    assert.equal(user.UserStatus, 'CONFIRMED');
    assert.notEqual(user.UserAttributes!.find((a) => a.Name === 'email_verified')?.Value, 'true');
  });

  it('AdminCreateUser makes a FORCE_CHANGE_PASSWORD user and refuses a duplicate', async () => {
    const out = await server.client().send(
      new AdminCreateUserCommand({
        UserPoolId: poolId, Username: 'invited', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'inv@example.com' }],
      }),
    );
    assert.equal(out.User!.Username, 'invited');
    assert.equal(out.User!.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(out.User!.Enabled, true);
    assert.match(out.User!.Attributes!.find((a) => a.Name === 'sub')!.Value!, UUID_V4);
    assert.ok(out.User!.UserCreateDate instanceof Date);
    assert.deepEqual(await server.outbox('invited'), []);
    const error = await rejection(() => server.client().send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'invited' })));
    assert.equal(error.name, 'UsernameExistsException');
  });

  it('AdminCreateUser RESEND sends a new invitation with a new temporary password to a user still FORCE_CHANGE_PASSWORD', async () => {
    const create = (extra: Partial<AdminCreateUserCommandInput> = {}) =>
      server.client().send(
        new AdminCreateUserCommand({
          UserPoolId: poolId, Username: 'reinvited', DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: 're@example.com' }], ...extra,
        }),
      );
    const first = await create();
    const temporary = (body: string | undefined) => /temporary password is (\S+)\. /u.exec(body ?? '')?.[1];
    const [invitation] = await server.outbox('reinvited');
    assert.ok(temporary(invitation?.body), `no temporary password in ${invitation?.body}`);

    await server.advanceClock(60);
    const again = await create({ MessageAction: 'RESEND', UserAttributes: undefined });
    assert.equal(again.User!.Username, 'reinvited');
    assert.equal(again.User!.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal(again.User!.Attributes!.find((a) => a.Name === 'sub')?.Value, first.User!.Attributes!.find((a) => a.Name === 'sub')?.Value);
    assert.ok(again.User!.UserLastModifiedDate!.getTime() >= first.User!.UserLastModifiedDate!.getTime() + 60_000, 'the validity did not start again');
    const messages = await server.outbox('reinvited');
    assert.equal(messages.length, 2);
    assert.equal(messages[1]!.destination, 're@example.com');
    assert.notEqual(temporary(messages[1]!.body), temporary(invitation!.body), 'the same temporary password was sent again');

    await create({ MessageAction: 'RESEND', TemporaryPassword: 'Chosen-Pass-9' });
    assert.equal(temporary((await server.outbox('reinvited'))[2]?.body), 'Chosen-Pass-9');
  });

  it('AdminCreateUser RESEND: an unknown user is UserNotFoundException, a user past the invitation UnsupportedUserStateException', async () => {
    const missing = await rejection(() => server.client().send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'never-made', MessageAction: 'RESEND' })));
    assert.equal(missing.name, 'UserNotFoundException');
    assert.equal(missing.message, 'User does not exist.');
    assert.equal(missing.$metadata?.httpStatusCode, 400);

    const before = (await server.outbox('carol')).length;
    const error = await rejection(() => server.client().send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'carol', MessageAction: 'RESEND' })));
    assert.equal(error.name, 'UnsupportedUserStateException');
    assert.equal(error.message, 'Resend not possible. carol status is UNCONFIRMED, not FORCE_CHANGE_PASSWORD.');
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal((await server.outbox('carol')).length, before, 'a refused RESEND queued a message');
    assert.equal((await server.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'carol' }))).UserStatus, 'UNCONFIRMED');
  });

  it('AdminDisableUser and AdminEnableUser flip Enabled', async () => {
    await server.client().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'dave' }));
    assert.equal((await server.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dave' }))).Enabled, false);
    await server.client().send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'dave' }));
    assert.equal((await server.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'dave' }))).Enabled, true);
    const error = await rejection(() => server.client().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'nobody' })));
    assert.equal(error.name, 'UserNotFoundException');
  });

  it('AdminDeleteUser removes the user; the username can sign up again', async () => {
    await signUp(server.client(), clientId, 'temp');
    await server.client().send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'temp' }));
    const error = await rejection(() => server.client().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'temp' })));
    assert.equal(error.name, 'UserNotFoundException');
    const again = await signUp(server.client(), clientId, 'temp');
    assert.equal(again.UserConfirmed, false);
  });

  it('ListUsers filters by exact value and by prefix', async () => {
    const exact = await server.client().send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "bob@example.com"' }));
    assert.deepEqual(exact.Users!.map((u) => u.Username), ['bob']);
    const prefix = await server.client().send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username ^= "al"' }));
    assert.deepEqual(prefix.Users!.map((u) => u.Username).sort(), ['albert', 'alice']);
    const status = await server.client().send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'cognito:user_status = "FORCE_CHANGE_PASSWORD"' }));
    assert.ok(status.Users!.every((u) => u.UserStatus === 'FORCE_CHANGE_PASSWORD'));
    const error = await rejection(() => server.client().send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email contains "x"' })));
    assert.equal(error.name, 'InvalidParameterException');
  });

  it('ListUsers returns only AttributesToGet', async () => {
    const out = await server.client().send(new ListUsersCommand({ UserPoolId: poolId, AttributesToGet: ['email'], Filter: 'username = "bob"' }));
    assert.deepEqual(out.Users![0]!.Attributes, [{ Name: 'email', Value: 'bob@example.com' }]);
    assert.equal(out.Users![0]!.UserStatus, 'UNCONFIRMED');
  });

  it('ListUsers pages with Limit and PaginationToken, every user once', async () => {
    const all = await server.client().send(new ListUsersCommand({ UserPoolId: poolId }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await server.client().send(new ListUsersCommand({ UserPoolId: poolId, Limit: 2, PaginationToken: token }));
      assert.ok(page.Users!.length <= 2);
      seen.push(...page.Users!.map((u) => u.Username!));
      token = page.PaginationToken;
      pages++;
    } while (token && pages < 50);
    assert.equal(seen.length, all.Users!.length);
    assert.deepEqual(new Set(seen), new Set(all.Users!.map((u) => u.Username)));
    assert.ok(pages >= 3);
  });

  it('ListUsers refuses a malformed PaginationToken with a 4xx', async () => {
    const error = await rejection(() => server.client().send(new ListUsersCommand({ UserPoolId: poolId, PaginationToken: 'not/a+token=' })));
    assert.equal(error.name, 'InvalidParameterException');
    assert.equal(error.message, 'Invalid pagination token.');
  });
});
