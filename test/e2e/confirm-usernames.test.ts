/**
 * @module What ConfirmSignUp's `Username` may be (spec §5.1): the username, an active alias, an
 * email or phone number in username-attribute pools, the user's `sub`, with the pool's case rule.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfirmSignUpCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects, userState } from '../helpers/cognito.ts';
import { PASSWORD, createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;
const NOT_FOUND = AWS_ERRORS.userNotFoundForClient;
const CONFIRMED = { type: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' };

describe('ConfirmSignUp username resolution (spec §5.1)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
  });
  after(() => server.stop());

  const confirm = (ClientId: string, Username: string, ConfirmationCode: string) =>
    idp.send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode }));

  test('by the username', async () => {
    const { poolId, clientId } = await createPool(idp);
    await signUp(idp, clientId, 'by-name');
    await confirm(clientId, 'by-name', await server.latestCode('by-name'));
    assert.equal((await userState(idp, poolId, 'by-name')).status, 'CONFIRMED');
  });

  test('by the sub SignUp returned', async () => {
    const { poolId, clientId } = await createPool(idp);
    const { UserSub } = await signUp(idp, clientId, 'by-sub');
    assert.match(UserSub!, UUID);
    await confirm(clientId, UserSub!, await server.latestCode('by-sub'));
    assert.equal((await userState(idp, poolId, 'by-sub')).status, 'CONFIRMED');
  });

  test('AliasAttributes [email]: an unconfirmed user\'s email is not an alias yet; once confirmed it is', async () => {
    const { poolId, clientId } = await createPool(idp, { AliasAttributes: ['email'] });
    await signUp(idp, clientId, 'alias-holder', 'holder@example.com');
    const code = await server.latestCode('alias-holder');
    await assertRejects(() => confirm(clientId, 'holder@example.com', code), NOT_FOUND);
    assert.equal((await userState(idp, poolId, 'alias-holder')).status, 'UNCONFIRMED');
    await confirm(clientId, 'alias-holder', code);
    // The alias now resolves to the user: the answer is the status error, not "not found".
    await assertRejects(() => confirm(clientId, 'holder@example.com', code), CONFIRMED);
    assert.equal((await userState(idp, poolId, 'holder@example.com')).username, 'alias-holder');
  });

  test('UsernameAttributes [email]: the stored username is a UUID and the email confirms', async () => {
    const { poolId, clientId } = await createPool(idp, { UsernameAttributes: ['email'] });
    const email = 'by-email@example.com';
    const { UserSub } = await idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    const created = await userState(idp, poolId, email);
    assert.match(created.username, UUID);
    assert.equal(created.username, UserSub);
    assert.equal(created.attributes.email, email);
    await confirm(clientId, email, await server.latestCode(created.username));
    const confirmed = await userState(idp, poolId, email);
    assert.deepEqual([confirmed.status, confirmed.attributes.email_verified], ['CONFIRMED', 'true']);
  });

  test('UsernameAttributes [phone_number]: the phone number confirms a code sent by SMS', async () => {
    const { poolId, clientId } = await createPool(idp, { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] });
    const phone = '+15555550123';
    const { CodeDeliveryDetails } = await idp.send(new SignUpCommand({ ClientId: clientId, Username: phone, Password: PASSWORD }));
    assert.deepEqual(CodeDeliveryDetails, { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+*******0123' });
    const stored = (await userState(idp, poolId, phone)).username;
    assert.match(stored, UUID);
    await confirm(clientId, phone, await server.latestCode(stored));
    const confirmed = await userState(idp, poolId, phone);
    assert.deepEqual([confirmed.status, confirmed.attributes.phone_number_verified], ['CONFIRMED', 'true']);
  });

  test('CaseSensitive=false: the username matches in any case', async () => {
    const { poolId, clientId } = await createPool(idp, { UsernameConfiguration: { CaseSensitive: false } });
    await signUp(idp, clientId, 'CamelUser');
    await confirm(clientId, 'cAMELuSER', await server.latestCode('CamelUser'));
    const state = await userState(idp, poolId, 'cameluser');
    assert.deepEqual([state.username, state.status], ['CamelUser', 'CONFIRMED']);
  });

  test('CaseSensitive=true (the API default): another case is another, unknown, user', async () => {
    const { poolId, clientId } = await createPool(idp);
    await signUp(idp, clientId, 'CamelUser');
    await assertRejects(() => confirm(clientId, 'cameluser', '123456'), NOT_FOUND);
    assert.equal((await userState(idp, poolId, 'CamelUser')).status, 'UNCONFIRMED');
  });

  test('CaseSensitive=false: email aliases match in any case', async () => {
    const { poolId, clientId } = await createPool(idp, { AliasAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
    await signUp(idp, clientId, 'case-alias', 'Case.Alias@Example.com');
    await confirm(clientId, 'case-alias', await server.latestCode('case-alias'));
    await assertRejects(() => confirm(clientId, 'case.alias@example.COM', '123456'), CONFIRMED);
    assert.equal((await userState(idp, poolId, 'CASE.ALIAS@example.com')).username, 'case-alias');
  });

  test('CaseSensitive=false with UsernameAttributes [email]: the email confirms in any case', async () => {
    const { poolId, clientId } = await createPool(idp, { UsernameAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: 'Upper.Case@Example.com', Password: PASSWORD }));
    const stored = (await userState(idp, poolId, 'upper.case@example.com')).username;
    await confirm(clientId, 'UPPER.CASE@EXAMPLE.COM', await server.latestCode(stored));
    assert.equal((await userState(idp, poolId, 'Upper.Case@Example.com')).status, 'CONFIRMED');
  });

  test('a user in another pool is not found through this pool\'s client', async () => {
    const one = await createPool(idp);
    const two = await createPool(idp);
    await signUp(idp, one.clientId, 'elsewhere');
    const code = await server.latestCode('elsewhere');
    await assertRejects(() => confirm(two.clientId, 'elsewhere', code), NOT_FOUND);
    assert.equal((await userState(idp, one.poolId, 'elsewhere')).status, 'UNCONFIRMED');
  });
});
