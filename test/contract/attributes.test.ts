/**
 * @module The store contract for the attributes aggregate on every backend: a change with its
 * pending values, codes, messages and aliases applied at once or not at all; attribute codes
 * issued under a send limit; redemptions counted and consumed once; the same intents racing
 * across two instances.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountCodeRecord } from '../../src/domain/account-codes.ts';
import type { UserRecord } from '../../src/domain/records.ts';
import type { AttributeCodePurpose, AttributeWrite, ChangeJudgement, VerifyJudgement, VerifyRequest, VerifyState } from '../../src/store/attribute-store.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachBackend } from './backends.ts';
import { count, emailAlias, HOUR, message, newPoolWithUser, spread, T0, unique, userRecord } from './fixtures.ts';

const NOW = T0 + 1000;

const codeFor = (purpose: AttributeCodePurpose, digest: string, expiresAt = T0 + 24 * HOUR): AccountCodeRecord & { purpose: AttributeCodePurpose } => ({
  purpose,
  digest,
  deliveredTo: purpose === 'verify_email' ? 'email' : 'phone_number',
  expiresAt,
  createdAt: T0,
});

const apply = (write: Partial<AttributeWrite> & Pick<AttributeWrite, 'attributes'>, extra: Partial<Extract<ChangeJudgement, { kind: 'apply' }>> = {}): ChangeJudgement => ({
  kind: 'apply',
  pending: {},
  release: [],
  claim: [],
  codes: [],
  dropCodes: [],
  messages: [],
  ...write,
  ...extra,
});

/** What the store shows a verification judge, without counting anything. */
async function peekCode(store: Store, poolId: string, usernameKey: string, purpose: AttributeCodePurpose = 'verify_email'): Promise<VerifyState> {
  let seen: VerifyState | undefined;
  await store.verifyAttribute(
    verifyRequest(poolId, usernameKey, (state) => {
      seen = state;
      return { kind: 'refuse', reason: 'peek', countAttempt: false };
    }, { purpose }),
  );
  assert.ok(seen, `user ${usernameKey} not found`);
  return seen;
}

function verifyRequest(poolId: string, usernameKey: string, judge: (state: VerifyState) => VerifyJudgement, overrides: Partial<VerifyRequest> = {}): VerifyRequest {
  return { poolId, usernameKey, purpose: 'verify_email', now: NOW, windowStart: NOW - HOUR, judge, ...overrides };
}

/** Verifies when the live code's digest is `digest`, as the operation's HMAC comparison would. */
const rightCode =
  (digest: string, write: (user: UserRecord) => AttributeWrite) =>
  (state: VerifyState): VerifyJudgement => {
    if (!state.code) return { kind: 'refuse', reason: 'expired', countAttempt: true };
    if (state.code.digest !== digest) return { kind: 'refuse', reason: 'mismatch', countAttempt: true };
    return { kind: 'verify', ...write(state.user) };
  };

const verifyEmail = (user: UserRecord): AttributeWrite => {
  const pending = { ...user.pendingAttributes };
  const email = pending.email ?? user.attributes.email!;
  delete pending.email;
  return { attributes: { ...user.attributes, email, email_verified: 'true' }, pending, release: [], claim: [emailAlias(email)] };
};

forEachBackend('attributes', (store, second) => {
  it('applies a change with its pending value, codes, messages and aliases in one go', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('ann'), { email: 'ann@old.org', email_verified: 'true', given_name: 'Ann' });
    await store.changeAttributes({ poolId: pool.id, usernameKey: user.usernameKey, now: T0 + 10, judge: () => apply({ attributes: user.attributes, claim: [emailAlias('ann@old.org')] }) });
    const lookup = (value: string) => store.findUser(pool.id, { usernameKey: 'nobody', aliases: [emailAlias(value)], sub: 'no-sub' });
    assert.equal((await lookup('ann@old.org'))?.usernameKey, user.usernameKey);

    const attributes = { ...user.attributes, given_name: 'Anna' };
    const result = await second.changeAttributes({
      poolId: pool.id,
      usernameKey: user.usernameKey,
      now: NOW,
      judge: (locked) => {
        assert.deepEqual(locked.attributes, user.attributes, 'the judge sees the stored user');
        return apply({ attributes, pending: { email: 'ann@new.org' } }, { codes: [codeFor('verify_email', 'd-1')], messages: [message(pool.id, user.username, NOW)] });
      },
    });
    assert.equal(result.kind, 'changed');
    const stored = await store.getUser(pool.id, user.usernameKey);
    assert.deepEqual(result.kind === 'changed' && result.user, stored, 'the result is what was stored');
    assert.deepEqual(stored?.attributes, attributes);
    assert.deepEqual(stored?.pendingAttributes, { email: 'ann@new.org' });
    assert.equal(stored?.updatedAt, NOW);
    assert.equal((await peekCode(store, pool.id, user.usernameKey)).code?.digest, 'd-1');
    assert.deepEqual((await store.listOutbox({ poolId: pool.id })).map((m) => m.username), [user.username]);
    assert.equal((await lookup('ann@old.org'))?.usernameKey, user.usernameKey, 'the active value stays an alias');

    // Moving the alias and withdrawing the pending value: the old alias goes, the new one comes.
    await store.changeAttributes({
      poolId: pool.id,
      usernameKey: user.usernameKey,
      now: NOW + 1,
      judge: () => apply({ attributes: { ...attributes, email: 'ann@moved.org' }, release: [emailAlias('ann@old.org')], claim: [emailAlias('ann@moved.org')] }, { dropCodes: ['verify_email'] }),
    });
    assert.equal(await lookup('ann@old.org'), undefined);
    assert.equal((await lookup('ann@moved.org'))?.usernameKey, user.usernameKey);
    const after = await second.getUser(pool.id, user.usernameKey);
    assert.equal(after?.pendingAttributes, undefined, 'no pending values: no field, as for users never changed');
    assert.equal((await peekCode(store, pool.id, user.usernameKey)).code, undefined, 'the dropped code is gone');
  });

  it('an alias held by another user refuses the whole change; a refusal or an unknown user changes nothing', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('bea'));
    const other = userRecord(pool.id, unique('cat'), { email: 'taken@x.org', email_verified: 'true' });
    assert.deepEqual(await store.insertUser({ user: other, aliases: [emailAlias('taken@x.org')], messages: [] }), { kind: 'created' });
    const change = (judge: (u: UserRecord) => ChangeJudgement) => second.changeAttributes({ poolId: pool.id, usernameKey: user.usernameKey, now: NOW, judge });
    const conflicting = apply(
      { attributes: { ...user.attributes, email: 'taken@x.org', email_verified: 'true', nickname: 'b' }, claim: [emailAlias('TAKEN@x.org')] },
      { codes: [codeFor('verify_email', 'd-2')], messages: [message(pool.id, user.username)] },
    );
    const result = await change(() => conflicting);
    assert.deepEqual(result.kind === 'alias-conflict' && result.attribute, 'email');
    assert.deepEqual(await store.getUser(pool.id, user.usernameKey), user, 'nothing of the change was applied');
    assert.equal((await store.listOutbox({ poolId: pool.id })).length, 0, 'no message was queued');
    assert.equal((await peekCode(store, pool.id, user.usernameKey)).code, undefined);
    assert.equal((await store.findUser(pool.id, { usernameKey: 'x', aliases: [emailAlias('taken@x.org')], sub: 'x' }))?.usernameKey, other.usernameKey);

    const refused = await change(() => ({ kind: 'refuse', reason: 'stale' }));
    assert.deepEqual(refused, { kind: 'refused', reason: 'stale', user });
    assert.deepEqual(await store.changeAttributes({ poolId: pool.id, usernameKey: 'nobody', now: NOW, judge: () => conflicting }), { kind: 'not-found' });
    // Releasing a value someone else holds leaves their alias alone.
    await change(() => apply({ attributes: user.attributes, release: [emailAlias('taken@x.org')] }));
    assert.equal((await store.findUser(pool.id, { usernameKey: 'x', aliases: [emailAlias('taken@x.org')], sub: 'x' }))?.usernameKey, other.usernameKey);
  });

  it('issues attribute codes under a send limit, only while the code still fits the user', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('dan'));
    const issue = (s: Store, digest: string, now: number, fits = true) =>
      s.issueAttributeCode({
        poolId: pool.id,
        usernameKey: user.usernameKey,
        now,
        windowStart: now - HOUR,
        limit: 2,
        code: codeFor('verify_email', digest),
        messages: [message(pool.id, user.username, now)],
        fits: (locked) => {
          assert.equal(locked.usernameKey, user.usernameKey);
          return fits;
        },
      });
    assert.equal((await issue(store, 'stale', NOW, false)).kind, 'stale');
    assert.equal((await store.listOutbox({ poolId: pool.id })).length, 0, 'a stale code queues nothing');
    assert.equal((await issue(store, 'first', NOW)).kind, 'issued');
    assert.equal((await issue(second, 'second', NOW + 1)).kind, 'issued');
    assert.equal((await peekCode(store, pool.id, user.usernameKey)).code?.digest, 'second', 'the newest code replaces the old');
    assert.deepEqual(await issue(store, 'third', NOW + 2), { kind: 'limited' });
    assert.equal((await peekCode(store, pool.id, user.usernameKey)).code?.digest, 'second', 'a limited send stores nothing');
    assert.equal((await store.listOutbox({ poolId: pool.id })).length, 2);
    assert.equal((await issue(store, 'later', NOW + HOUR + 1)).kind, 'issued', 'sends leave the window after an hour');
    assert.equal((await peekCode(store, pool.id, user.usernameKey, 'verify_phone_number')).code, undefined, 'each purpose has its own code');
    assert.deepEqual(await store.issueAttributeCode({ ...issueArgs(pool.id), usernameKey: 'nobody' }), { kind: 'not-found' });
    assert.equal((await peekCode(store, pool.id, user.usernameKey)).attemptsInWindow, 0, 'sends do not count as redemptions');
  });

  it('verifies once: counts what the judge says, consumes the code, applies the write; an alias conflict keeps the code', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('eve'), { email: 'eve@x.org' });
    await store.issueAttributeCode({ ...issueArgs(pool.id), usernameKey: user.usernameKey, code: codeFor('verify_email', 'right') });
    const verify = (s: Store, judge: (state: VerifyState) => VerifyJudgement, now = NOW) => s.verifyAttribute(verifyRequest(pool.id, user.usernameKey, judge, { now }));

    const wrong = await verify(store, rightCode('other', verifyEmail));
    assert.equal(wrong.kind === 'refused' && wrong.reason, 'mismatch');
    await verify(second, () => ({ kind: 'refuse', reason: 'limited', countAttempt: false }));
    assert.equal((await peekCode(store, pool.id, user.usernameKey)).attemptsInWindow, 1, 'only counted refusals count');

    // Another user holds the address: refused, the attempt counted, the code kept for later.
    const other = userRecord(pool.id, unique('fay'), { email: 'eve@x.org', email_verified: 'true' });
    await store.insertUser({ user: other, aliases: [emailAlias('eve@x.org')], messages: [] });
    const conflict = await verify(second, rightCode('right', verifyEmail));
    assert.equal(conflict.kind === 'alias-conflict' && conflict.attribute, 'email');
    const kept = await peekCode(store, pool.id, user.usernameKey);
    assert.deepEqual([kept.code?.digest, kept.attemptsInWindow, kept.user.attributes.email_verified], ['right', 2, undefined]);
    await store.deleteUser(pool.id, other.usernameKey);

    const done = await verify(store, rightCode('right', verifyEmail), NOW + 5);
    assert.equal(done.kind, 'verified');
    const stored = await second.getUser(pool.id, user.usernameKey);
    assert.deepEqual(done.kind === 'verified' && done.user, stored);
    assert.equal(stored?.attributes.email_verified, 'true');
    assert.equal(stored?.updatedAt, NOW + 5);
    const state = await peekCode(store, pool.id, user.usernameKey);
    assert.deepEqual([state.code, state.attemptsInWindow], [undefined, 3], 'the code is consumed and the success counted');
    assert.equal((await store.findUser(pool.id, { usernameKey: 'x', aliases: [emailAlias('eve@x.org')], sub: 'x' }))?.usernameKey, user.usernameKey);
    assert.deepEqual(await store.verifyAttribute(verifyRequest(pool.id, 'nobody', rightCode('right', verifyEmail))), { kind: 'not-found' });
  });

  it('a pending value replaces the active one on verification; ListUsers filters see the active value only', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('gus'), { email: 'gus@old.org', email_verified: 'true' });
    await store.changeAttributes({ poolId: pool.id, usernameKey: user.usernameKey, now: NOW, judge: (u) => apply({ attributes: u.attributes, pending: { email: 'gus@new.org' } }, { codes: [codeFor('verify_email', 'c')] }) });
    const byEmail = async (value: string) => (await second.listUsers(pool.id, 10, undefined, { attribute: 'email', value, prefix: false })).items.map((u) => u.usernameKey);
    assert.deepEqual(await byEmail('gus@old.org'), [user.usernameKey]);
    assert.deepEqual(await byEmail('gus@new.org'), []);
    assert.equal((await store.verifyAttribute(verifyRequest(pool.id, user.usernameKey, rightCode('c', verifyEmail)))).kind, 'verified');
    const stored = await store.getUser(pool.id, user.usernameKey);
    assert.deepEqual([stored?.attributes.email, stored?.attributes.email_verified, stored?.pendingAttributes], ['gus@new.org', 'true', undefined]);
    assert.deepEqual(await byEmail('gus@new.org'), [user.usernameKey]);
  });

  it('deleting a user takes its attribute codes with it', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('hal'));
    await store.issueAttributeCode({ ...issueArgs(pool.id), usernameKey: user.usernameKey });
    assert.equal(await store.deleteUser(pool.id, user.usernameKey), true);
    await store.insertUser({ user, aliases: [], messages: [] });
    assert.equal((await peekCode(store, pool.id, user.usernameKey)).code, undefined, 'a user of the same name starts without the old code');
  });

  describe('under concurrency, across two instances', () => {
    it('20 simultaneous redemptions of the right code: exactly one verifies', async () => {
      const { pool, user } = await newPoolWithUser(store, unique('race'), { email: 'race@x.org' });
      await store.issueAttributeCode({ ...issueArgs(pool.id), usernameKey: user.usernameKey, code: codeFor('verify_email', 'right') });
      const results = await spread(store, second, 20, (s, i) => s.verifyAttribute(verifyRequest(pool.id, user.usernameKey, rightCode('right', verifyEmail), { now: NOW + i })));
      assert.equal(count(results, (r) => r.kind === 'verified'), 1, JSON.stringify(results.map((r) => r.kind)));
      assert.equal(count(results, (r) => r.kind === 'refused' && r.reason === 'expired'), 19);
      assert.equal((await peekCode(store, pool.id, user.usernameKey)).attemptsInWindow, 20);
    });

    it('20 simultaneous changes planned on the locked user: none is lost', async () => {
      const { pool, user } = await newPoolWithUser(store, unique('tally'), { 'custom:n': '0' });
      await spread(store, second, 20, (s, i) =>
        s.changeAttributes({
          poolId: pool.id,
          usernameKey: user.usernameKey,
          now: NOW + i,
          judge: (locked) => apply({ attributes: { ...locked.attributes, 'custom:n': String(Number(locked.attributes['custom:n']) + 1) } }),
        }),
      );
      assert.equal((await store.getUser(pool.id, user.usernameKey))?.attributes['custom:n'], '20');
    });

    it('the send limit decided under the lock holds: of 10 racing sends with a limit of 3, 3 are issued', async () => {
      const { pool, user } = await newPoolWithUser(store, unique('flood'));
      const results = await spread(store, second, 10, (s, i) => s.issueAttributeCode({ ...issueArgs(pool.id), usernameKey: user.usernameKey, limit: 3, code: codeFor('verify_email', `d${i}`) }));
      assert.equal(count(results, (r) => r.kind === 'issued'), 3);
      assert.equal(count(results, (r) => r.kind === 'limited'), 7);
      assert.equal((await store.listOutbox({ poolId: pool.id })).length, 3);
    });
  });
});

/** A send of the default code to `usernameKey`, to spread over with overrides. */
function issueArgs(poolId: string) {
  return {
    poolId,
    usernameKey: '',
    now: NOW,
    windowStart: NOW - HOUR,
    limit: 5,
    code: codeFor('verify_email', 'default'),
    messages: [message(poolId, 'someone', NOW)],
    fits: () => true,
  };
}

