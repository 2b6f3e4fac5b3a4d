/** @module The ConfirmSignUp judgement (spec §3 steps 8–11, §5.2, §5.6, §5.8) as a pure function. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfirmState } from '../store/store.ts';
import { activatedAliases, judgeAdminConfirmation, judgeConfirmation } from './confirmation.ts';
import { viewPool, type PoolView } from './pool-view.ts';
import type { UserRecord, UserStatus } from './records.ts';

const NOW = 1_700_000_000_000;
const pool: PoolView = viewPool({ id: 'us-east-1_Test', name: 'p', settings: { AliasAttributes: ['email', 'preferred_username'] }, limits: { confirmAttemptsPerHour: 15, resendAttemptsPerHour: 5 }, createdAt: 0, updatedAt: 0 });

function state(overrides: Partial<UserRecord> = {}, extra: Partial<ConfirmState> = {}): ConfirmState {
  const user: UserRecord = {
    poolId: pool.id, username: 'u', usernameKey: 'u', sub: 's', status: 'UNCONFIRMED', enabled: true,
    attributes: { email: 'U@Example.com' }, passwordHash: null, createdAt: 0, updatedAt: 0, ...overrides,
  };
  return { user, code: { digest: 'd', deliveredTo: 'email', expiresAt: NOW + 1000, createdAt: NOW - 1000 }, attemptsInWindow: 0, ...extra };
}

const judge = (s: ConfirmState, matches = true, limit = 15) => judgeConfirmation({ pool, limit, now: NOW, codeMatches: () => matches }, s);

test('every status but UNCONFIRMED is refused for its status, uncounted', () => {
  const statuses: UserStatus[] = ['CONFIRMED', 'ARCHIVED', 'COMPROMISED', 'UNKNOWN', 'RESET_REQUIRED', 'FORCE_CHANGE_PASSWORD', 'EXTERNAL_PROVIDER'];
  for (const status of statuses) {
    assert.deepEqual(judge(state({ status })), { kind: 'refuse', reason: 'status', countAttempt: false }, status);
  }
});

test('disabled comes first and is not counted', () => {
  assert.deepEqual(judge(state({ enabled: false, status: 'CONFIRMED' }, { attemptsInWindow: 99 })), { kind: 'refuse', reason: 'disabled', countAttempt: false });
});

test('at the limit even the right code is refused, and the refusal is not counted', () => {
  assert.deepEqual(judge(state({}, { attemptsInWindow: 15 })), { kind: 'refuse', reason: 'limited', countAttempt: false });
  assert.equal(judge(state({}, { attemptsInWindow: 14 })).kind, 'confirm');
  assert.deepEqual(judge(state({}, { attemptsInWindow: 3 }), true, 3), { kind: 'refuse', reason: 'limited', countAttempt: false });
});

test('no code, or a code at or past its expiry, is expired whatever was sent; counted', () => {
  assert.deepEqual(judge(state({}, { code: undefined })), { kind: 'refuse', reason: 'expired', countAttempt: true });
  const expired = state();
  expired.code!.expiresAt = NOW;
  assert.deepEqual(judge(expired, false), { kind: 'refuse', reason: 'expired', countAttempt: true });
});

test('a wrong code is a counted mismatch', () => {
  assert.deepEqual(judge(state(), false), { kind: 'refuse', reason: 'mismatch', countAttempt: true });
});

test('success verifies the delivered-to attribute and activates its alias with the pool case rule; it is not counted', () => {
  assert.deepEqual(judge(state()), { kind: 'confirm', countAttempt: false, verify: 'email', aliases: [{ attribute: 'email', valueKey: 'U@Example.com' }] });
  const phone = state({ attributes: { email: 'a@b.c', phone_number: '+15555550100' } });
  phone.code!.deliveredTo = 'phone_number';
  assert.deepEqual(judge(phone), { kind: 'confirm', countAttempt: false, verify: 'phone_number', aliases: [] }, 'email stays unverified, so not an alias');
});

test('aliases: email only once verified, preferred_username once set, lower-cased when case-insensitive', () => {
  const insensitive = { ...pool, caseSensitive: false };
  assert.deepEqual(activatedAliases(insensitive, { email: 'A@B.C', email_verified: 'true', preferred_username: 'Nick' }), [
    { attribute: 'email', valueKey: 'a@b.c' },
    { attribute: 'preferred_username', valueKey: 'nick' },
  ]);
  assert.deepEqual(activatedAliases(pool, { email: 'A@B.C', email_verified: 'false' }), []);
});

test('AdminConfirmSignUp confirms any UNCONFIRMED user and verifies nothing', () => {
  assert.deepEqual(judgeAdminConfirmation(pool, state()), { kind: 'confirm', countAttempt: false, verify: null, aliases: [] });
  assert.deepEqual(judgeAdminConfirmation(pool, state({ status: 'CONFIRMED' })), { kind: 'refuse', reason: 'status', countAttempt: false });
});
