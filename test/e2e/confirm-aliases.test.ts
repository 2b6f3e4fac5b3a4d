/**
 * @module Alias conflicts at confirmation (spec §5.3): AliasExistsException only after a valid
 * code, and ForceAliasCreation moving the alias and unverifying its previous owner.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConfirmSignUpCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { assertRejects, userState } from '../helpers/cognito.ts';
import { PASSWORD, createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const EMAIL_TAKEN = { type: 'AliasExistsException', message: 'An account with the email already exists.' };

describe('alias conflicts (spec §5.3)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let pool: { poolId: string; clientId: string };

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    pool = await createPool(idp, { AliasAttributes: ['email'] });
  });
  after(() => server.stop());

  const confirm = (Username: string, ConfirmationCode: string, extra: { ClientId?: string; ForceAliasCreation?: boolean } = {}) =>
    idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username, ConfirmationCode, ...extra }));

  /** Signs up and confirms `owner` with `email`, then signs up `claimant` with the same email. */
  async function contested(owner: string, claimant: string, email: string) {
    await signUp(idp, pool.clientId, owner, email);
    await confirm(owner, await server.latestCode(owner));
    await signUp(idp, pool.clientId, claimant, email);
    return server.latestCode(claimant);
  }

  test('SignUp with an email another user holds as an active alias succeeds', async () => {
    await contested('al-owner-0', 'al-claimant-0', 'zero@example.com');
    assert.equal((await userState(idp, pool.poolId, 'al-claimant-0')).status, 'UNCONFIRMED');
    assert.equal((await userState(idp, pool.poolId, 'zero@example.com')).username, 'al-owner-0');
  });

  test('a valid code meets AliasExistsException; the claimant stays UNCONFIRMED and the code stays usable', async () => {
    const code = await contested('al-owner-1', 'al-claimant-1', 'one@example.com');
    await assertRejects(() => confirm('al-claimant-1', code), EMAIL_TAKEN);
    const claimant = await userState(idp, pool.poolId, 'al-claimant-1');
    assert.deepEqual([claimant.status, claimant.attributes.email_verified], ['UNCONFIRMED', undefined]);
    const owner = await userState(idp, pool.poolId, 'one@example.com');
    assert.deepEqual([owner.username, owner.attributes.email_verified], ['al-owner-1', 'true']);
    // Not consumed: the same code now succeeds with ForceAliasCreation.
    await confirm('al-claimant-1', code, { ForceAliasCreation: true });
    assert.equal((await userState(idp, pool.poolId, 'al-claimant-1')).status, 'CONFIRMED');
  });

  test('ForceAliasCreation: true confirms, moves the alias and marks the previous owner\'s email unverified', async () => {
    const code = await contested('al-owner-2', 'al-claimant-2', 'two@example.com');
    await confirm('al-claimant-2', code, { ForceAliasCreation: true });
    const claimant = await userState(idp, pool.poolId, 'al-claimant-2');
    assert.deepEqual([claimant.status, claimant.attributes.email_verified], ['CONFIRMED', 'true']);
    assert.equal((await userState(idp, pool.poolId, 'two@example.com')).username, 'al-claimant-2', 'the alias now names the claimant');
    const owner = await userState(idp, pool.poolId, 'al-owner-2');
    assert.deepEqual([owner.status, owner.attributes.email, owner.attributes.email_verified], ['CONFIRMED', 'two@example.com', 'false']);
  });

  test('ForceAliasCreation: false is the default', async () => {
    const code = await contested('al-owner-3', 'al-claimant-3', 'three@example.com');
    await assertRejects(() => confirm('al-claimant-3', code, { ForceAliasCreation: false }), EMAIL_TAKEN);
  });

  test('two unconfirmed users with one email: the first to confirm takes the alias', async () => {
    await signUp(idp, pool.clientId, 'al-race-a', 'race@example.com');
    await signUp(idp, pool.clientId, 'al-race-b', 'race@example.com');
    await confirm('al-race-b', await server.latestCode('al-race-b'));
    await assertRejects(async () => confirm('al-race-a', await server.latestCode('al-race-a')), EMAIL_TAKEN);
    assert.equal((await userState(idp, pool.poolId, 'race@example.com')).username, 'al-race-b');
  });

  test('case-insensitive pools: the same email in another case conflicts', async () => {
    const insensitive = await createPool(idp, { AliasAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
    await signUp(idp, insensitive.clientId, 'ci-owner', 'Case@Example.com');
    await confirm('ci-owner', await server.latestCode('ci-owner'), { ClientId: insensitive.clientId });
    await signUp(idp, insensitive.clientId, 'ci-claimant', 'case@example.COM');
    await assertRejects(async () => confirm('ci-claimant', await server.latestCode('ci-claimant'), { ClientId: insensitive.clientId }), EMAIL_TAKEN);
  });

  test('phone_number aliases: "An account with the phone_number already exists."', async () => {
    const phones = await createPool(idp, { AliasAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] });
    const withPhone = (Username: string) =>
      idp.send(new SignUpCommand({ ClientId: phones.clientId, Username, Password: PASSWORD, UserAttributes: [{ Name: 'phone_number', Value: '+15555550142' }] }));
    await withPhone('ph-owner');
    await confirm('ph-owner', await server.latestCode('ph-owner'), { ClientId: phones.clientId });
    await withPhone('ph-claimant');
    const code = await server.latestCode('ph-claimant');
    await assertRejects(() => confirm('ph-claimant', code, { ClientId: phones.clientId }), {
      type: 'AliasExistsException',
      message: 'An account with the phone_number already exists.',
    });
    await confirm('ph-claimant', code, { ClientId: phones.clientId, ForceAliasCreation: true });
    const owner = await userState(idp, phones.poolId, 'ph-owner');
    assert.equal(owner.attributes.phone_number_verified, 'false');
    assert.equal((await userState(idp, phones.poolId, '+15555550142')).username, 'ph-claimant');
  });

  test('pools where email is not an alias have no conflict', async () => {
    const plain = await createPool(idp);
    for (const name of ['na-one', 'na-two']) {
      await signUp(idp, plain.clientId, name, 'same@example.com');
      await confirm(name, await server.latestCode(name), { ClientId: plain.clientId });
      assert.equal((await userState(idp, plain.poolId, name)).attributes.email_verified, 'true');
    }
  });
});
