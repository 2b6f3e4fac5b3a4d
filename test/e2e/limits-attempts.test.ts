/**
 * @module Per-user attempt limits (spec §5.6): 15 ConfirmSignUp and 5 ResendConfirmationCode calls
 * per sliding hour, configurable per pool, counted atomically under concurrency (issue rule 15).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects, userState, writeConfig } from '../helpers/cognito.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const MISMATCH = AWS_ERRORS.codeMismatch;
const LIMITED = AWS_ERRORS.attemptLimit;
const TUNED_POOL = 'us-east-1_TunedLim01';
const TUNED_CLIENT = 'tunedlimitsclient000000000';
const MINUTE = 60;

const wrongCode = (code: string) => (code === '000000' ? '000001' : '000000');

/** Counts the outcome of each settled call by error type, `ok` for successes. */
function tally(results: PromiseSettledResult<unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 'fulfilled' ? 'ok' : `${(r.reason as Error).name}: ${(r.reason as Error).message}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('attempt limits (spec §5.6)', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let pool: { poolId: string; clientId: string };

  before(async () => {
    const config = writeConfig({
      pools: [
        {
          id: TUNED_POOL,
          name: 'tuned',
          settings: { AutoVerifiedAttributes: ['email'] },
          limits: { confirmAttemptsPerHour: 3, resendAttemptsPerHour: 1 },
          clients: [{ id: TUNED_CLIENT, name: 'tuned-client' }],
        },
      ],
    });
    server = await startTestServer({ args: ['--config', config] });
    idp = server.client();
    pool = await createPool(idp);
  });
  after(() => server.stop());

  const confirm = (Username: string, ConfirmationCode: string, ClientId = pool.clientId) =>
    idp.send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode }));
  const resend = (Username: string, ClientId = pool.clientId) => idp.send(new ResendConfirmationCodeCommand({ ClientId, Username }));

  test('15 calls per hour: the 16th is refused even with the right code; an hour later it confirms', async () => {
    await signUp(idp, pool.clientId, 'lim-hour');
    const code = await server.latestCode('lim-hour');
    for (let i = 0; i < 15; i++) await assertRejects(() => confirm('lim-hour', wrongCode(code)), MISMATCH);
    await assertRejects(() => confirm('lim-hour', code), LIMITED);
    assert.equal((await userState(idp, pool.poolId, 'lim-hour')).status, 'UNCONFIRMED');
    await server.advanceClock(60 * MINUTE + 1);
    await confirm('lim-hour', code);
    assert.equal((await userState(idp, pool.poolId, 'lim-hour')).status, 'CONFIRMED');
  });

  test('the window slides, and refused calls do not extend the lockout', async () => {
    await signUp(idp, pool.clientId, 'lim-slide');
    const code = await server.latestCode('lim-slide');
    for (let i = 0; i < 10; i++) await assertRejects(() => confirm('lim-slide', wrongCode(code)), MISMATCH);
    await server.advanceClock(30 * MINUTE);
    for (let i = 0; i < 5; i++) await assertRejects(() => confirm('lim-slide', wrongCode(code)), MISMATCH);
    for (let i = 0; i < 10; i++) await assertRejects(() => confirm('lim-slide', code), LIMITED);
    // The first ten calls leave the window; the five later ones and the refusals do not count against it.
    await server.advanceClock(31 * MINUTE);
    for (let i = 0; i < 10; i++) await assertRejects(() => confirm('lim-slide', wrongCode(code)), MISMATCH);
    await assertRejects(() => confirm('lim-slide', code), LIMITED);
    await server.advanceClock(30 * MINUTE);
    await confirm('lim-slide', code);
    assert.equal((await userState(idp, pool.poolId, 'lim-slide')).status, 'CONFIRMED');
  });

  test('the limit belongs to the user, not the code: a resend does not reset it', async () => {
    await signUp(idp, pool.clientId, 'lim-resend');
    const first = await server.latestCode('lim-resend');
    for (let i = 0; i < 15; i++) await assertRejects(() => confirm('lim-resend', wrongCode(first)), MISMATCH);
    await resend('lim-resend');
    await assertRejects(async () => confirm('lim-resend', await server.latestCode('lim-resend')), LIMITED);
  });

  test('an expired code is a counted attempt too', async () => {
    const isolated = await createPool(idp);
    await signUp(idp, isolated.clientId, 'lim-expired');
    const code = await server.latestCode('lim-expired');
    await server.advanceClock(24 * 60 * MINUTE + 1);
    const expired = { type: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' };
    for (let i = 0; i < 15; i++) await assertRejects(() => confirm('lim-expired', code, isolated.clientId), expired);
    await assertRejects(() => confirm('lim-expired', code, isolated.clientId), LIMITED);
  });

  test('ResendConfirmationCode: 5 per hour, the 6th is refused and sends nothing; an hour later it works', async () => {
    await signUp(idp, pool.clientId, 'lim-codes');
    for (let i = 0; i < 5; i++) await resend('lim-codes');
    await assertRejects(() => resend('lim-codes'), LIMITED);
    assert.equal((await server.outbox('lim-codes')).length, 6, 'one from SignUp, five resends');
    await server.advanceClock(60 * MINUTE + 1);
    await resend('lim-codes');
    await confirm('lim-codes', await server.latestCode('lim-codes'));
    assert.equal((await userState(idp, pool.poolId, 'lim-codes')).status, 'CONFIRMED');
  });

  test('per-pool limits from the config file: 3 confirmations and 1 resend per hour', async () => {
    await signUp(idp, TUNED_CLIENT, 'tuned-user');
    await resend('tuned-user', TUNED_CLIENT);
    await assertRejects(() => resend('tuned-user', TUNED_CLIENT), LIMITED);
    const current = await server.latestCode('tuned-user');
    for (let i = 0; i < 3; i++) await assertRejects(() => confirm('tuned-user', wrongCode(current), TUNED_CLIENT), MISMATCH);
    await assertRejects(() => confirm('tuned-user', current, TUNED_CLIENT), LIMITED);
    assert.equal((await userState(idp, TUNED_POOL, 'tuned-user')).status, 'UNCONFIRMED');
  });

  test('20 simultaneous calls with the right code: exactly one confirms, 19 get the status error', async () => {
    await signUp(idp, pool.clientId, 'race-right');
    const code = await server.latestCode('race-right');
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => confirm('race-right', code)));
    assert.deepEqual(tally(results), { ok: 1, 'NotAuthorizedException: User cannot be confirmed. Current status is CONFIRMED': 19 });
    assert.equal((await userState(idp, pool.poolId, 'race-right')).status, 'CONFIRMED');
  });

  test('30 simultaneous wrong codes: exactly 15 are compared and 15 refused, so no count is lost', async () => {
    await signUp(idp, pool.clientId, 'race-wrong');
    const code = await server.latestCode('race-wrong');
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => confirm('race-wrong', wrongCode(code))));
    assert.deepEqual(tally(results), { [`${MISMATCH.type}: ${MISMATCH.message}`]: 15, [`${LIMITED.type}: ${LIMITED.message}`]: 15 });
    await assertRejects(() => confirm('race-wrong', code), LIMITED);
  });

  test('10 simultaneous wrong codes, then sequential ones: the limit falls at exactly 15 in total', async () => {
    await signUp(idp, pool.clientId, 'race-count');
    const code = await server.latestCode('race-count');
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => confirm('race-count', wrongCode(code))));
    assert.deepEqual(tally(results), { [`${MISMATCH.type}: ${MISMATCH.message}`]: 10 });
    for (let i = 0; i < 5; i++) await assertRejects(() => confirm('race-count', wrongCode(code)), MISMATCH);
    await assertRejects(() => confirm('race-count', code), LIMITED);
  });

  test('6 simultaneous resends: exactly 5 send a code', async () => {
    await signUp(idp, pool.clientId, 'race-resend');
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => resend('race-resend')));
    assert.deepEqual(tally(results), { ok: 5, [`${LIMITED.type}: ${LIMITED.message}`]: 1 });
    assert.equal((await server.outbox('race-resend')).length, 6);
  });
});

describe('defaultLimits from the config file apply to pools created through the API', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  before(async () => {
    server = await startTestServer({ args: ['--config', writeConfig({ defaultLimits: { confirmAttemptsPerHour: 2 } })] });
    idp = server.client();
  });
  after(() => server.stop());

  test('a partial defaultLimits sets its number and keeps the default for the other', async () => {
    const { clientId } = await createPool(idp);
    await signUp(idp, clientId, 'dl-user');
    const code = await server.latestCode('dl-user');
    const confirm = (c: string) => idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'dl-user', ConfirmationCode: c }));
    for (let i = 0; i < 2; i++) await assertRejects(() => confirm(wrongCode(code)), MISMATCH);
    await assertRejects(() => confirm(code), LIMITED);
    const resend = () => idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'dl-user' }));
    for (let i = 0; i < 5; i++) await resend();
    await assertRejects(resend, LIMITED);
  });
});
