/** @module The attribute-change plan on its own: what applies, what waits, where codes go, which codes and aliases go. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { viewPool } from '../../../domain/pool-view.ts';
import type { PoolRecord, UserRecord } from '../../../domain/records.ts';
import { changeSettings, codeDestination, planChange, planVerification } from './plan.ts';

function pool(settings: Record<string, unknown>): PoolRecord {
  return { id: 'us-east-1_test', name: 'p', settings, limits: { confirmAttemptsPerHour: 15, resendAttemptsPerHour: 5 }, createdAt: 0, updatedAt: 0 };
}
const settingsOf = (s: Record<string, unknown>) => {
  const p = pool({ UsernameConfiguration: { CaseSensitive: false }, ...s });
  return changeSettings(p, viewPool(p));
};
const user = (attributes: Record<string, string>, pendingAttributes?: Record<string, string>): UserRecord => ({
  poolId: 'us-east-1_test', username: 'u', usernameKey: 'u', sub: 's', status: 'CONFIRMED', enabled: true,
  attributes, passwordHash: null, createdAt: 0, updatedAt: 0, ...(pendingAttributes ? { pendingAttributes } : {}),
});

const aliasPool = settingsOf({ AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
const keeping = settingsOf({ AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
const verifiedAnn = user({ email: 'Ann@old.org', email_verified: 'true' });

test('a new email applies unverified, its code goes to it, and the verified alias is released', () => {
  const plan = planChange(verifiedAnn, { set: { email: 'ann@new.org' }, remove: [] }, aliasPool);
  assert.deepEqual(plan.attributes, { email: 'ann@new.org', email_verified: 'false' });
  assert.deepEqual(plan.codes, [{ attribute: 'email', destination: 'ann@new.org' }]);
  assert.deepEqual(plan.release, [{ attribute: 'email', valueKey: 'ann@old.org' }]);
  assert.deepEqual([plan.claim, plan.dropCodes, plan.pending], [[], [], {}]);
});

test('with AttributesRequireVerificationBeforeUpdate the new value waits and the old one stays, verified and an alias', () => {
  const plan = planChange(verifiedAnn, { set: { email: 'ann@new.org', name: 'Ann' }, remove: [] }, keeping);
  assert.deepEqual(plan.attributes, { email: 'Ann@old.org', email_verified: 'true', name: 'Ann' });
  assert.deepEqual(plan.pending, { email: 'ann@new.org' });
  assert.deepEqual([plan.release, plan.claim], [[], []]);
  const waiting = user(plan.attributes, plan.pending);
  assert.equal(codeDestination(waiting, 'email'), 'ann@new.org');
  const verified = planVerification(waiting, 'email', keeping.pool)!;
  assert.deepEqual([verified.attributes.email, verified.attributes.email_verified, verified.pending], ['ann@new.org', 'true', {}]);
  assert.deepEqual(verified.release, [{ attribute: 'email', valueKey: 'ann@old.org' }]);
  assert.deepEqual(verified.claim, [{ attribute: 'email', valueKey: 'ann@new.org' }]);
});

test('with nothing to keep, a first email applies at once even under the setting', () => {
  const plan = planChange(user({}), { set: { email: 'new@x.org' }, remove: [] }, keeping);
  assert.deepEqual([plan.attributes.email, plan.attributes.email_verified, plan.pending], ['new@x.org', 'false', {}]);
});

test('the same value again is no change; it withdraws a waiting value and drops that code', () => {
  const same = planChange(verifiedAnn, { set: { email: 'Ann@old.org' }, remove: [] }, aliasPool);
  assert.deepEqual([same.attributes, same.codes, same.dropCodes], [verifiedAnn.attributes, [], []]);
  const withdrawn = planChange(user(verifiedAnn.attributes, { email: 'ann@new.org' }), { set: { email: 'Ann@old.org' }, remove: [] }, keeping);
  assert.deepEqual([withdrawn.pending, withdrawn.codes, withdrawn.dropCodes], [{}, [], ['email']]);
});

test('an administrator: email with email_verified=true applies verified and claims; the flag alone applies the waiting value', () => {
  const direct = planChange(user({}), { set: { email: 'a@x.org', email_verified: 'true' }, remove: [] }, keeping);
  assert.deepEqual([direct.attributes, direct.codes, direct.dropCodes], [{ email: 'a@x.org', email_verified: 'true' }, [], ['email']]);
  assert.deepEqual(direct.claim, [{ attribute: 'email', valueKey: 'a@x.org' }]);
  const flagOnly = planChange(user(verifiedAnn.attributes, { email: 'ann@new.org' }), { set: { email_verified: 'true' }, remove: [] }, keeping);
  assert.deepEqual([flagOnly.attributes.email, flagOnly.pending], ['ann@new.org', {}]);
});

test('deleting email takes its flag, its waiting value, its code and its alias', () => {
  const plan = planChange(user({ ...verifiedAnn.attributes, name: 'A' }, { email: 'x@y.org' }), { set: {}, remove: ['email'] }, keeping);
  assert.deepEqual([plan.attributes, plan.pending, plan.dropCodes], [{ name: 'A' }, {}, ['email']]);
  assert.deepEqual(plan.release, [{ attribute: 'email', valueKey: 'ann@old.org' }]);
});

test('in a pool that signs in with the email, the new address is the sign-in name at once, verified or not', () => {
  const signInPool = settingsOf({ UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
  const plan = planChange(user({ email: 'a@x.org', email_verified: 'false' }), { set: { email: 'b@x.org' }, remove: [] }, signInPool);
  assert.deepEqual(plan.release, [{ attribute: 'email', valueKey: 'a@x.org' }]);
  assert.deepEqual(plan.claim, [{ attribute: 'email', valueKey: 'b@x.org' }]);
});

test('without auto-verification no code goes out, and the outstanding one is dropped', () => {
  const quiet = settingsOf({ AliasAttributes: ['email'] });
  const plan = planChange(verifiedAnn, { set: { email: 'ann@new.org' }, remove: [] }, quiet);
  assert.deepEqual([plan.codes, plan.dropCodes], [[], ['email']]);
});
