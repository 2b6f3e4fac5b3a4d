/**
 * @module The store contract for the account aggregate on every backend: recovery codes issued,
 * replaced, counted and limited; redemption that consumes the code and writes the password, status
 * and cleared lockout together; password replacement; and the same intents racing across two
 * instances, among them 20 redemptions of one right code of which exactly one resets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountCodeRecord } from '../../src/domain/account-codes.ts';
import { FRESH } from '../../src/domain/lockout.ts';
import type { UserRecord } from '../../src/domain/records.ts';
import type {
  IssueJudgement,
  IssueRecoveryRequest,
  RedeemJudgement,
  RedeemRecoveryRequest,
  RedeemState,
  StoredPassword,
} from '../../src/store/account-store.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachBackend } from './backends.ts';
import { count, HOUR, message, newPoolWithUser, spread, T0, userRecord } from './fixtures.ts';

const NOW = T0 + 1000;
const recoveryCode = (digest = 'reset-1', expiresAt = NOW + HOUR): AccountCodeRecord => ({
  purpose: 'forgot_password',
  digest,
  deliveredTo: 'email',
  expiresAt,
  createdAt: NOW,
});
const stored = (name: string): StoredPassword => ({ passwordHash: `$argon2id$${name}`, srp: { salt: `salt-${name}`, sealedVerifier: `sealed-${name}` } });
const issue = (): IssueJudgement => ({ kind: 'issue' });

function issueRequest(poolId: string, usernameKey: string, overrides: Partial<IssueRecoveryRequest> = {}): IssueRecoveryRequest {
  return {
    poolId, usernameKey, now: NOW, windowStart: NOW - HOUR, limit: 5, judge: issue, code: recoveryCode(),
    messages: [], requireReset: false, countUnknown: false, ...overrides,
  };
}

/** Resets when the stored code has the digest `wanted`; otherwise a counted mismatch, or uncounted when no code. */
const digestIs =
  (wanted: string) =>
  (state: RedeemState): RedeemJudgement =>
    !state.code ? { kind: 'refuse', reason: 'expired', countAttempt: false }
    : state.code.digest === wanted ? { kind: 'reset', countAttempt: true }
    : { kind: 'refuse', reason: 'mismatch', countAttempt: true };

function redeemRequest(poolId: string, usernameKey: string, overrides: Partial<RedeemRecoveryRequest> = {}): RedeemRecoveryRequest {
  return { poolId, usernameKey, now: NOW, windowStart: NOW - HOUR, judge: digestIs('reset-1'), password: stored('new'), ...overrides };
}

/** What a redemption's judge would see now, without counting or changing anything. */
async function peek(store: Store, poolId: string, usernameKey: string): Promise<RedeemState> {
  let seen: RedeemState | undefined;
  await store.redeemRecoveryCode(redeemRequest(poolId, usernameKey, { judge: (state) => ((seen = state), { kind: 'refuse', reason: 'peek', countAttempt: false }) }));
  assert.ok(seen, `user ${usernameKey} not found`);
  return seen;
}

async function confirmedUser(store: Store, name: string) {
  const { pool, user } = await newPoolWithUser(store, name);
  await store.replacePassword({ poolId: pool.id, usernameKey: user.usernameKey, now: T0, password: stored('old'), status: 'CONFIRMED' });
  return { pool, user: { ...user, status: 'CONFIRMED' as const, passwordHash: stored('old').passwordHash, updatedAt: T0 } };
}

forEachBackend('accounts', (store, second) => {
  it('issues a recovery code with its message, and a new one replaces it', async () => {
    const { pool, user } = await confirmedUser(store, 'issuer');
    const result = await store.issueRecoveryCode(issueRequest(pool.id, 'issuer', { messages: [message(pool.id, 'issuer')] }));
    assert.deepEqual(result, { kind: 'issued', user });
    assert.deepEqual((await peek(second, pool.id, 'issuer')).code, recoveryCode());
    assert.deepEqual((await store.listOutbox({ poolId: pool.id })).map((m) => m.sealedPayload), ['sealed-issuer']);

    await second.issueRecoveryCode(issueRequest(pool.id, 'issuer', { code: recoveryCode('reset-2'), now: NOW + 5 }));
    assert.equal((await peek(store, pool.id, 'issuer')).code?.digest, 'reset-2', 'the newer code replaced the first');
    assert.equal((await store.getUser(pool.id, 'issuer'))?.status, 'CONFIRMED', 'ForgotPassword leaves the status alone');
  });

  it('a refusal stores, queues and counts nothing; the limit counts only what passed the judge', async () => {
    const { pool } = await confirmedUser(store, 'limited');
    const refused = await store.issueRecoveryCode(issueRequest(pool.id, 'limited', { judge: () => ({ kind: 'refuse', reason: 'status' }), messages: [message(pool.id, 'limited')] }));
    assert.equal(refused.kind === 'refused' && refused.reason, 'status');
    assert.equal((await peek(store, pool.id, 'limited')).code, undefined);
    assert.deepEqual(await store.listOutbox({ poolId: pool.id }), []);
    const kinds = [];
    for (let i = 0; i < 4; i++) kinds.push((await store.issueRecoveryCode(issueRequest(pool.id, 'limited', { limit: 3, now: NOW + i }))).kind);
    assert.deepEqual(kinds, ['issued', 'issued', 'issued', 'limited']);
    const later = await store.issueRecoveryCode(issueRequest(pool.id, 'limited', { limit: 3, now: NOW + HOUR + 10, windowStart: NOW + 10 }));
    assert.equal(later.kind, 'issued', 'attempts that left the window no longer count');
  });

  it('AdminResetUserPassword: requireReset makes the user RESET_REQUIRED with the code', async () => {
    const { pool } = await confirmedUser(store, 'resetme');
    const result = await store.issueRecoveryCode(issueRequest(pool.id, 'resetme', { requireReset: true, now: NOW + 3 }));
    assert.equal(result.kind === 'issued' && result.user.status, 'RESET_REQUIRED');
    const user = await second.getUser(pool.id, 'resetme');
    assert.deepEqual([user?.status, user?.updatedAt], ['RESET_REQUIRED', NOW + 3]);
  });

  it('an unknown name is counted under its key and limited like a user, and gets nothing stored', async () => {
    const { pool } = await confirmedUser(store, 'someone');
    assert.deepEqual(await store.issueRecoveryCode(issueRequest(pool.id, 'ghost')), { kind: 'not-found' });
    const kinds = [];
    for (let i = 0; i < 3; i++) kinds.push((await store.issueRecoveryCode(issueRequest(pool.id, 'ghost', { countUnknown: true, limit: 2 }))).kind);
    assert.deepEqual(kinds, ['not-found', 'not-found', 'limited']);
    const counted = [];
    for (let i = 0; i < 3; i++) counted.push((await second.issueRecoveryCode(issueRequest(pool.id, 'someone', { judge: () => ({ kind: 'count' }), limit: 2, messages: [message(pool.id, 'someone')] }))).kind);
    assert.deepEqual(counted, ['counted', 'counted', 'limited'], 'a simulated delivery to a known user counts the same');
    assert.equal((await peek(store, pool.id, 'someone')).code, undefined);
    assert.deepEqual(await store.listOutbox({ poolId: pool.id }), []);
  });

  it('redeeming consumes the code and writes hash, verifier, CONFIRMED and a cleared lockout together', async () => {
    const { pool } = await confirmedUser(store, 'redeemer');
    await store.issueRecoveryCode(issueRequest(pool.id, 'redeemer', { requireReset: true }));
    await store.recordPasswordFailure(pool.id, 'redeemer', NOW, () => ({ failures: 6, lockedUntil: NOW + 60_000, lastAttemptAt: NOW }));

    const wrong = await second.redeemRecoveryCode(redeemRequest(pool.id, 'redeemer', { judge: digestIs('other') }));
    assert.equal(wrong.kind === 'refused' && wrong.reason, 'mismatch');
    assert.equal((await peek(store, pool.id, 'redeemer')).attemptsInWindow, 1, 'a wrong code is counted');
    assert.equal((await store.getCredentials(pool.id, 'redeemer'))?.passwordHash, stored('old').passwordHash, 'a refusal writes no password');

    const done = await store.redeemRecoveryCode(redeemRequest(pool.id, 'redeemer', { now: NOW + 7 }));
    assert.equal(done.kind, 'reset');
    assert.deepEqual(await second.getCredentials(pool.id, 'redeemer'), { passwordHash: '$argon2id$new', srp: stored('new').srp, passwordSetAt: NOW + 7, lockout: FRESH });
    const user = await store.getUser(pool.id, 'redeemer');
    assert.deepEqual([user?.status, user?.passwordHash, user?.updatedAt], ['CONFIRMED', '$argon2id$new', NOW + 7]);
    const after = await peek(store, pool.id, 'redeemer');
    assert.deepEqual([after.code, after.attemptsInWindow], [undefined, 2], 'the code is consumed and the success counted');
    const again = await second.redeemRecoveryCode(redeemRequest(pool.id, 'redeemer'));
    assert.equal(again.kind === 'refused' && again.reason, 'expired', 'a consumed code cannot be used twice');
  });

  it('a stand-in is judged and counted under the unknown key, and never resets', async () => {
    const { pool } = await confirmedUser(store, 'real');
    const standIn = { user: userRecord(pool.id, 'nobody'), code: recoveryCode('stand-in') };
    assert.deepEqual(await store.redeemRecoveryCode(redeemRequest(pool.id, 'nobody')), { kind: 'not-found' });
    const refused = await store.redeemRecoveryCode(redeemRequest(pool.id, 'nobody', { standIn }));
    assert.deepEqual(refused, { kind: 'refused', reason: 'mismatch', user: standIn.user });
    let seen: RedeemState | undefined;
    await second.redeemRecoveryCode(redeemRequest(pool.id, 'nobody', { standIn, judge: (s) => ((seen = s), { kind: 'refuse', reason: 'peek', countAttempt: false }) }));
    assert.deepEqual(seen, { user: standIn.user, code: standIn.code, attemptsInWindow: 1 });
    assert.deepEqual(await store.redeemRecoveryCode(redeemRequest(pool.id, 'nobody', { standIn, judge: () => ({ kind: 'reset', countAttempt: true }) })), { kind: 'not-found' });
    assert.equal(await store.getUser(pool.id, 'nobody'), undefined);
  });

  it('replacing a password sets the status, clears the lockout and drops a pending recovery code', async () => {
    const { pool } = await confirmedUser(store, 'admin-set');
    await store.issueRecoveryCode(issueRequest(pool.id, 'admin-set'));
    await store.recordPasswordFailure(pool.id, 'admin-set', NOW, () => ({ failures: 3, lockedUntil: 0, lastAttemptAt: NOW }));
    const result = await second.replacePassword({ poolId: pool.id, usernameKey: 'admin-set', now: NOW + 9, password: stored('temp'), status: 'FORCE_CHANGE_PASSWORD' });
    assert.equal(result.kind === 'replaced' && result.user.status, 'FORCE_CHANGE_PASSWORD');
    assert.deepEqual(await store.getCredentials(pool.id, 'admin-set'), { passwordHash: '$argon2id$temp', srp: stored('temp').srp, passwordSetAt: NOW + 9, lockout: FRESH });
    assert.equal((await peek(store, pool.id, 'admin-set')).code, undefined, 'the code was for the password now replaced');

    const kept = await store.replacePassword({ poolId: pool.id, usernameKey: 'admin-set', now: NOW + 10, password: stored('mine'), expectedHash: '$argon2id$temp' });
    assert.equal(kept.kind === 'replaced' && kept.user.status, 'FORCE_CHANGE_PASSWORD', 'without a status the status stays');
    const stale = await second.replacePassword({ poolId: pool.id, usernameKey: 'admin-set', now: NOW + 11, password: stored('late'), expectedHash: '$argon2id$temp' });
    assert.deepEqual(stale, { kind: 'changed-meanwhile' });
    assert.equal((await store.getCredentials(pool.id, 'admin-set'))?.passwordHash, '$argon2id$mine');
    assert.deepEqual(await store.replacePassword({ poolId: pool.id, usernameKey: 'nobody', now: NOW, password: stored('x') }), { kind: 'not-found' });
  });

  it('keeps the last PasswordHistorySize hashes, the outgoing one first, trimmed to the size', async () => {
    const { pool } = await confirmedUser(store, 'historian');
    for (const name of ['p1', 'p2', 'p3']) {
      const seen = (await store.passwordHistory(pool.id, 'historian'))!;
      const result = await second.replacePassword({ poolId: pool.id, usernameKey: 'historian', now: NOW, password: stored(name), history: { size: 3, seen } });
      assert.equal(result.kind, 'replaced');
    }
    assert.deepEqual(await store.passwordHistory(pool.id, 'historian'), {
      current: '$argon2id$p3',
      kept: ['$argon2id$p3', '$argon2id$p2', '$argon2id$p1'],
    }, 'the sign-up password (old) was kept once and then trimmed away');

    const seen = (await store.passwordHistory(pool.id, 'historian'))!;
    await store.replacePassword({ poolId: pool.id, usernameKey: 'historian', now: NOW, password: stored('p4'), history: { size: 1, seen } });
    assert.deepEqual((await second.passwordHistory(pool.id, 'historian'))?.kept, ['$argon2id$p4'], 'a smaller size trims at the next change');
    assert.equal(await store.passwordHistory(pool.id, 'nobody'), undefined);
  });

  it('a history changed since it was checked applies nothing, and a redemption counts nothing', async () => {
    const { pool } = await confirmedUser(store, 'stale');
    const seen = (await store.passwordHistory(pool.id, 'stale'))!;
    await store.replacePassword({ poolId: pool.id, usernameKey: 'stale', now: NOW, password: stored('meanwhile'), history: { size: 5, seen } });
    const replaced = await second.replacePassword({ poolId: pool.id, usernameKey: 'stale', now: NOW, password: stored('late'), history: { size: 5, seen } });
    assert.deepEqual(replaced, { kind: 'history-changed' });

    await store.issueRecoveryCode(issueRequest(pool.id, 'stale'));
    const redeemed = await second.redeemRecoveryCode(redeemRequest(pool.id, 'stale', { history: { size: 5, seen } }));
    assert.deepEqual(redeemed, { kind: 'history-changed' });
    const state = await peek(store, pool.id, 'stale');
    assert.equal(state.attemptsInWindow, 0, 'nothing counted');
    assert.ok(state.code, 'the code is still live');
    assert.equal((await store.getCredentials(pool.id, 'stale'))?.passwordHash, '$argon2id$meanwhile');

    const fresh = (await store.passwordHistory(pool.id, 'stale'))!;
    const reset = await second.redeemRecoveryCode(redeemRequest(pool.id, 'stale', { history: { size: 5, seen: fresh } }));
    assert.equal(reset.kind, 'reset');
    assert.deepEqual((await store.passwordHistory(pool.id, 'stale'))?.kept, ['$argon2id$new', '$argon2id$meanwhile', '$argon2id$old'], 'the reset is recorded in the same transaction');
  });

  it('the password history goes with its user', async () => {
    const { pool } = await confirmedUser(store, 'forgotten');
    const seen = (await store.passwordHistory(pool.id, 'forgotten'))!;
    await store.replacePassword({ poolId: pool.id, usernameKey: 'forgotten', now: NOW, password: stored('p1'), history: { size: 5, seen } });
    assert.equal(await store.deleteUser(pool.id, 'forgotten'), true);
    await store.insertUser({ user: userRecord(pool.id, 'forgotten') as UserRecord, aliases: [], messages: [] });
    assert.deepEqual((await second.passwordHistory(pool.id, 'forgotten'))?.kept, [], 'a user created again under the name inherits no history');
  });

  it('codes go with their user', async () => {
    const { pool } = await confirmedUser(store, 'leaver');
    await store.issueRecoveryCode(issueRequest(pool.id, 'leaver'));
    assert.equal(await store.deleteUser(pool.id, 'leaver'), true);
    await store.insertUser({ user: userRecord(pool.id, 'leaver') as UserRecord, aliases: [], messages: [] });
    assert.equal((await peek(second, pool.id, 'leaver')).code, undefined, 'a user created again under the name inherits no code');
  });

  describe('under concurrency, across two instances', () => {
    it('20 simultaneous redemptions of the right code: exactly one resets, the rest find it gone', async () => {
      const { pool } = await confirmedUser(store, 'race');
      await store.issueRecoveryCode(issueRequest(pool.id, 'race'));
      const results = await spread(store, second, 20, (s, i) => s.redeemRecoveryCode(redeemRequest(pool.id, 'race', { password: stored(`p${i}`) })));
      const kinds = results.map((r) => (r.kind === 'refused' ? r.reason : r.kind));
      assert.equal(count(kinds, (k) => k === 'reset'), 1, kinds.join(','));
      assert.equal(count(kinds, (k) => k === 'expired'), 19);
      const winner = results.findIndex((r) => r.kind === 'reset');
      assert.equal((await store.getCredentials(pool.id, 'race'))?.passwordHash, `$argon2id$p${winner}`, 'the password is the winner’s');
    });

    it('20 simultaneous password changes checked against one history: exactly one applies', async () => {
      const { pool } = await confirmedUser(store, 'changers');
      const seen = (await store.passwordHistory(pool.id, 'changers'))!;
      const results = await spread(store, second, 20, (s, i) =>
        s.replacePassword({ poolId: pool.id, usernameKey: 'changers', now: NOW, password: stored(`c${i}`), history: { size: 24, seen } }),
      );
      assert.equal(count(results, (r) => r.kind === 'replaced'), 1, results.map((r) => r.kind).join(','));
      assert.equal(count(results, (r) => r.kind === 'history-changed'), 19);
      const winner = results.findIndex((r) => r.kind === 'replaced');
      assert.deepEqual((await store.passwordHistory(pool.id, 'changers'))?.kept, [`$argon2id$c${winner}`, '$argon2id$old']);
    });

    it('20 simultaneous issues under a limit of 5: five issued, fifteen limited', async () => {
      const { pool } = await confirmedUser(store, 'flood');
      const results = await spread(store, second, 20, (s, i) => s.issueRecoveryCode(issueRequest(pool.id, 'flood', { code: recoveryCode(`d${i}`), messages: [message(pool.id, 'flood')] })));
      assert.equal(count(results, (r) => r.kind === 'issued'), 5, results.map((r) => r.kind).join(','));
      assert.equal(count(results, (r) => r.kind === 'limited'), 15);
      assert.equal((await store.listOutbox({ poolId: pool.id })).length, 5, 'only issued codes are sent');
    });

    it('20 simultaneous wrong codes are all counted', async () => {
      const { pool } = await confirmedUser(store, 'guesser');
      await store.issueRecoveryCode(issueRequest(pool.id, 'guesser'));
      const results = await spread(store, second, 20, (s, i) => s.redeemRecoveryCode(redeemRequest(pool.id, 'guesser', { now: NOW + i, judge: digestIs('wrong') })));
      assert.ok(results.every((r) => r.kind === 'refused'));
      assert.equal((await peek(second, pool.id, 'guesser')).attemptsInWindow, 20);
    });
  });
});
