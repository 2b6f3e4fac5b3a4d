/** @module Token lifetimes (spec §10.6, §7.6): defaults, units, the refresh 0 rule and the value × unit ranges. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkValidityRanges, INVALID_VALIDITY_RANGE, tokenValidity } from './validity.ts';

const HOUR = 3600;
const DAY = 86_400;

test('a client with no validity settings gets 1 h access, 1 h ID, 30 days refresh, 3 min sessions', () => {
  assert.deepEqual(tokenValidity({}), { accessSeconds: HOUR, idSeconds: HOUR, refreshSeconds: 30 * DAY, sessionSeconds: 180 });
});

test('values without units are read in the model defaults: hours for access and ID, days for refresh', () => {
  assert.deepEqual(tokenValidity({ AccessTokenValidity: 2, IdTokenValidity: 3, RefreshTokenValidity: 10 }), {
    accessSeconds: 2 * HOUR, idSeconds: 3 * HOUR, refreshSeconds: 10 * DAY, sessionSeconds: 180,
  });
});

test('each token has its own unit', () => {
  const v = tokenValidity({
    AccessTokenValidity: 300, IdTokenValidity: 90, RefreshTokenValidity: 120,
    TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'minutes', RefreshToken: 'hours' },
  });
  assert.deepEqual([v.accessSeconds, v.idSeconds, v.refreshSeconds], [300, 90 * 60, 120 * HOUR]);
  assert.equal(tokenValidity({ AccessTokenValidity: 1, TokenValidityUnits: { AccessToken: 'days' } }).accessSeconds, DAY);
});

test('a unit without a value leaves the default lifetime alone', () => {
  const v = tokenValidity({ TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'seconds', RefreshToken: 'minutes' } });
  assert.deepEqual([v.accessSeconds, v.idSeconds, v.refreshSeconds], [HOUR, HOUR, 30 * DAY]);
});

test('RefreshTokenValidity 0 means the 30-day default, in any unit', () => {
  assert.equal(tokenValidity({ RefreshTokenValidity: 0 }).refreshSeconds, 30 * DAY);
  assert.equal(tokenValidity({ RefreshTokenValidity: 0, TokenValidityUnits: { RefreshToken: 'seconds' } }).refreshSeconds, 30 * DAY);
  assert.equal(checkValidityRanges({ RefreshTokenValidity: 0, TokenValidityUnits: { RefreshToken: 'seconds' } }), null);
});

test('AuthSessionValidity is in minutes', () => {
  assert.equal(tokenValidity({ AuthSessionValidity: 15 }).sessionSeconds, 900);
  assert.equal(tokenValidity({ AuthSessionValidity: 3 }).sessionSeconds, 180);
});

test('an unknown unit (which the model validators refuse first) falls back to the default unit', () => {
  assert.equal(tokenValidity({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'fortnights' } }).accessSeconds, 2 * HOUR);
  assert.equal(tokenValidity({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'constructor' } }).accessSeconds, 2 * HOUR);
});

test('access and ID validity must lie between 5 minutes and 1 day, inclusive', () => {
  const at = (value: number, unit: string) => checkValidityRanges({ AccessTokenValidity: value, TokenValidityUnits: { AccessToken: unit } });
  const id = (value: number, unit: string) => checkValidityRanges({ IdTokenValidity: value, TokenValidityUnits: { IdToken: unit } });
  for (const check of [at, id]) {
    assert.equal(check(300, 'seconds'), null);
    assert.equal(check(5, 'minutes'), null);
    assert.equal(check(24, 'hours'), null);
    assert.equal(check(1, 'days'), null);
    assert.equal(check(299, 'seconds'), INVALID_VALIDITY_RANGE);
    assert.equal(check(4, 'minutes'), INVALID_VALIDITY_RANGE);
    assert.equal(check(25, 'hours'), INVALID_VALIDITY_RANGE);
    assert.equal(check(2, 'days'), INVALID_VALIDITY_RANGE);
  }
  assert.equal(checkValidityRanges({ AccessTokenValidity: 25 }), INVALID_VALIDITY_RANGE);
  assert.equal(checkValidityRanges({ IdTokenValidity: 24 }), null);
});

test('refresh validity must lie between 60 minutes and 10 years, inclusive', () => {
  const rt = (value: number, unit?: string) =>
    checkValidityRanges({ RefreshTokenValidity: value, ...(unit ? { TokenValidityUnits: { RefreshToken: unit } } : {}) });
  assert.equal(rt(60, 'minutes'), null);
  assert.equal(rt(3600, 'seconds'), null);
  assert.equal(rt(3650), null);
  assert.equal(rt(59, 'minutes'), INVALID_VALIDITY_RANGE);
  assert.equal(rt(3651), INVALID_VALIDITY_RANGE);
  assert.equal(rt(1, 'days'), null);
});

test('the message is ours and reports the first offending setting only once', () => {
  assert.equal(INVALID_VALIDITY_RANGE, 'Invalid range for token validity.');
  assert.equal(checkValidityRanges({}), null);
  assert.equal(checkValidityRanges({ AccessTokenValidity: 100, IdTokenValidity: 100, RefreshTokenValidity: 100_000 }), INVALID_VALIDITY_RANGE);
});
