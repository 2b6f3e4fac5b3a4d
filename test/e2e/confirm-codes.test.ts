/**
 * @module The confirmation code's life (spec §5.5) and the effects of a successful confirmation
 * (spec §5.2): six digits, kept only as a digest, 24 hours, replaced by a resend, consumed once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import {
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects, userState } from '../helpers/cognito.ts';
import { PASSWORD, createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const MISMATCH = AWS_ERRORS.codeMismatch;
const EXPIRED = AWS_ERRORS.codeExpired;
const DAY = 24 * 60 * 60;

describe('confirmation codes (spec §5.5) and the effects of success (spec §5.2)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let pool: { poolId: string; clientId: string };

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    pool = await createPool(idp, { AliasAttributes: ['email'] });
  });
  after(() => server.stop());

  const confirm = (Username: string, ConfirmationCode: string, ClientId = pool.clientId) =>
    idp.send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode }));
  const resend = (Username: string, ClientId = pool.clientId) => idp.send(new ResendConfirmationCodeCommand({ ClientId, Username }));

  test('codes are six decimal digits and SignUp names where the code went', async () => {
    const out = await signUp(idp, pool.clientId, 'six-digits', 'carol@example.com');
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'c***@e***' });
    await resend('six-digits');
    await resend('six-digits');
    const codes = (await server.outbox('six-digits')).map((m) => m.code);
    assert.equal(codes.length, 3);
    for (const code of codes) assert.match(code!, /^[0-9]{6}$/u);
  });

  test('the database never holds a code or its message in the clear', async (t) => {
    if (server.db.startsWith('postgres')) return t.skip('inspects the SQLite file');
    await signUp(idp, pool.clientId, 'no-plain-code', 'plain@example.com');
    const code = await server.latestCode('no-plain-code');
    const db = new Database(server.db, { readonly: true });
    try {
      for (const table of ['signup_codes', 'outbox']) {
        for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
          for (const value of Object.values(row)) if (typeof value === 'string') assert.ok(!value.includes(code), `${table} holds the code`);
        }
      }
      assert.equal((db.prepare('SELECT count(*) AS n FROM signup_codes').get() as { n: number }).n > 0, true);
    } finally {
      db.close();
    }
  });

  test('a code confirms only its own user', async () => {
    await signUp(idp, pool.clientId, 'owner-a');
    await signUp(idp, pool.clientId, 'owner-b');
    const codeA = await server.latestCode('owner-a');
    const codeB = await server.latestCode('owner-b');
    if (codeA === codeB) return; // one chance in a million; nothing to learn from this run
    await assertRejects(() => confirm('owner-b', codeA), MISMATCH);
    await confirm('owner-b', codeB);
    assert.equal((await userState(idp, pool.poolId, 'owner-a')).status, 'UNCONFIRMED');
  });

  test('valid for 24 hours: a second before it works, after it is ExpiredCodeException, and a resend recovers', async () => {
    await signUp(idp, pool.clientId, 'day-early');
    await signUp(idp, pool.clientId, 'day-late');
    const early = await server.latestCode('day-early');
    const late = await server.latestCode('day-late');
    await server.advanceClock(DAY - 60);
    await confirm('day-early', early);
    assert.equal((await userState(idp, pool.poolId, 'day-early')).status, 'CONFIRMED');
    await server.advanceClock(61);
    await assertRejects(() => confirm('day-late', late), EXPIRED);
    assert.equal((await userState(idp, pool.poolId, 'day-late')).status, 'UNCONFIRMED');
    await resend('day-late');
    await confirm('day-late', await server.latestCode('day-late'));
    assert.equal((await userState(idp, pool.poolId, 'day-late')).status, 'CONFIRMED');
  });

  test('a resend replaces the code: the older one becomes a mismatch, the newest confirms', async () => {
    await signUp(idp, pool.clientId, 'resent');
    const first = await server.latestCode('resent');
    await resend('resent');
    const second = await server.latestCode('resent');
    if (first !== second) await assertRejects(() => confirm('resent', first), MISMATCH);
    await confirm('resent', second);
    assert.equal((await userState(idp, pool.poolId, 'resent')).status, 'CONFIRMED');
  });

  test('success: CONFIRMED, the delivered-to attribute verified, its alias active, code consumed, last-modified moved', async () => {
    await signUp(idp, pool.clientId, 'effects', 'effects@example.com');
    const code = await server.latestCode('effects');
    const created = await userState(idp, pool.poolId, 'effects');
    assert.deepEqual([created.status, created.attributes.email_verified], ['UNCONFIRMED', undefined]);
    await assertRejects(() => userState(idp, pool.poolId, 'effects@example.com'), { type: 'UserNotFoundException', message: 'User does not exist.' });

    await server.advanceClock(5);
    await confirm('effects', code);
    const confirmed = await userState(idp, pool.poolId, 'effects');
    assert.equal(confirmed.status, 'CONFIRMED');
    assert.equal(confirmed.attributes.email_verified, 'true');
    assert.ok(confirmed.lastModified >= created.lastModified + 5000, 'UserLastModifiedDate moved with the clock');
    assert.equal((await userState(idp, pool.poolId, 'effects@example.com')).username, 'effects', 'the email is now an alias');
    await assertRejects(() => confirm('effects', code), { type: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  });

  test('email and phone both auto-verified: the code goes by SMS and only the phone becomes verified', async () => {
    const both = await createPool(idp, { AutoVerifiedAttributes: ['email', 'phone_number'] });
    const out = await idp.send(
      new SignUpCommand({
        ClientId: both.clientId,
        Username: 'two-ways',
        Password: PASSWORD,
        UserAttributes: [
          { Name: 'email', Value: 'two@example.com' },
          { Name: 'phone_number', Value: '+15555550199' },
        ],
      }),
    );
    assert.deepEqual(out.CodeDeliveryDetails, { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+*******0199' });
    const messages = await server.outbox('two-ways');
    assert.deepEqual(messages.map((m) => m.medium), ['SMS']);
    await confirm('two-ways', messages[0]!.code!, both.clientId);
    const state = await userState(idp, both.poolId, 'two-ways');
    assert.deepEqual([state.status, state.attributes.phone_number_verified, state.attributes.email_verified], ['CONFIRMED', 'true', undefined]);
  });
});
