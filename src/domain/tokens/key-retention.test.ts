/** @module The retention rule for retired signing keys: listed until every token they signed has expired, then gone. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyInService, keysInService, LONGEST_TOKEN_VALIDITY_MS, retentionEnd } from './key-retention.ts';

const DAY_MS = 86_400_000;
const RETIRED = 1_700_000_000_000;
const LAG = 60_000;

test('the longest ID or access token validity is the model maximum, one day', () => {
  assert.equal(LONGEST_TOKEN_VALIDITY_MS, DAY_MS);
});

test('a current key is always in service, however old', () => {
  const current = { retiredAt: null };
  assert.equal(retentionEnd(current, LAG), undefined);
  assert.equal(keyInService(current, RETIRED + 365 * DAY_MS, LAG), true);
});

test('a retired key stays for a day plus the signing lag after its retirement, then goes', () => {
  const retired = { retiredAt: RETIRED };
  assert.equal(retentionEnd(retired, LAG), RETIRED + DAY_MS + LAG);
  assert.equal(keyInService(retired, RETIRED, LAG), true);
  // A one-day token signed by a lagging instance just before it reloads is still live here.
  assert.equal(keyInService(retired, RETIRED + DAY_MS + LAG - 1, LAG), true);
  assert.equal(keyInService(retired, RETIRED + DAY_MS + LAG, LAG), false);
});

test('no token signed before the key left service can outlive its retention', () => {
  const retired = { retiredAt: RETIRED };
  // The last signature another instance can make is `LAG` after retirement; exp is whole seconds, at most a day on.
  const lastSignedAt = RETIRED + LAG - 1;
  const lastExpiry = (Math.floor(lastSignedAt / 1000) + LONGEST_TOKEN_VALIDITY_MS / 1000) * 1000;
  assert.ok(lastExpiry <= retentionEnd(retired, LAG)!);
});

test('without a lag (one instance) the key goes exactly a day after retirement', () => {
  assert.equal(keyInService({ retiredAt: RETIRED }, RETIRED + DAY_MS - 1, 0), true);
  assert.equal(keyInService({ retiredAt: RETIRED }, RETIRED + DAY_MS, 0), false);
});

test('keysInService keeps current keys and live retired ones, in their order', () => {
  const keys = [
    { kid: 'new-id', retiredAt: null },
    { kid: 'new-access', retiredAt: null },
    { kid: 'old-id', retiredAt: RETIRED },
    { kid: 'old-access', retiredAt: RETIRED },
    { kid: 'ancient', retiredAt: RETIRED - 2 * DAY_MS },
  ];
  assert.deepEqual(keysInService(keys, RETIRED + 1000, LAG).map((k) => k.kid), ['new-id', 'new-access', 'old-id', 'old-access']);
  assert.deepEqual(keysInService(keys, RETIRED + 2 * DAY_MS, LAG).map((k) => k.kid), ['new-id', 'new-access']);
});
