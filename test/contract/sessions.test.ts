/**
 * @module The store contract for sign-in's sessions and credentials on every backend: credentials
 * and lockout counts, auth sessions taken once, wrong answers counted on a session, completed
 * sign-in steps, sessions queued with their messages, and the same intents racing across two
 * instances. Refresh tokens and signing keys are in tokens.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterFailure, FRESH, type LockoutState } from '../../src/domain/lockout.ts';
import { SESSION_RETENTION_MS } from '../../src/store/sign-in-store.ts';
import { forEachBackend } from './backends.ts';
import { code, confirmIfUnconfirmed, confirmRequest, count, HOUR, message, poolRecord, spread, T0, unique, userRecord } from './fixtures.ts';
import { MINUTE, srp, authSession, refreshToken, signedUpUser, oneMore } from './sign-in-fixtures.ts';

forEachBackend('sessions and credentials', (store, second) => {
  it('keeps hash, verifier, set time and lockout state as credentials, and new users start unlocked', async () => {
    const { pool, user } = await signedUpUser(store);
    assert.deepEqual(await second.getCredentials(pool.id, user.usernameKey), {
      passwordHash: user.passwordHash,
      srp: srp('first'),
      passwordSetAt: T0 - 5,
      lockout: FRESH,
    });
    assert.equal(await store.getCredentials(pool.id, 'nobody'), undefined);
    const plain = userRecord(pool.id, 'plain');
    await store.insertUser({ user: plain, aliases: [], messages: [] });
    const defaults = await store.getCredentials(pool.id, 'plain');
    assert.deepEqual([defaults?.srp, defaults?.passwordSetAt], [null, plain.createdAt], 'a password without a given set time was set at creation');
    await store.insertUser({ user: { ...userRecord(pool.id, 'nopass'), passwordHash: null }, aliases: [], messages: [] });
    assert.equal((await store.getCredentials(pool.id, 'nopass'))?.passwordSetAt, null);
  });

  it('reinviteUser replaces hash and verifier together, and clears a verifier it was not given', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const invited = { ...userRecord(pool.id, 'invited'), status: 'FORCE_CHANGE_PASSWORD' as const };
    await store.insertUser({ user: invited, srp: srp('temp1'), aliases: [], messages: [] });
    const base = { poolId: pool.id, usernameKey: 'invited', messages: [] };
    await store.reinviteUser({ ...base, now: T0 + 10, passwordHash: '$argon2id$temp2', srp: srp('temp2'), passwordSetAt: T0 + 9 });
    assert.deepEqual(await store.getCredentials(pool.id, 'invited'), { passwordHash: '$argon2id$temp2', srp: srp('temp2'), passwordSetAt: T0 + 9, lockout: FRESH });
    await store.reinviteUser({ ...base, now: T0 + 20, passwordHash: '$argon2id$temp3' });
    const after = await store.getCredentials(pool.id, 'invited');
    assert.deepEqual([after?.passwordHash, after?.srp, after?.passwordSetAt], ['$argon2id$temp3', null, T0 + 20]);
  });

  it('setPassword writes hash, verifier, status and merged attributes at once', async () => {
    const { pool, user } = await signedUpUser(store);
    const change = { passwordHash: '$argon2id$new', srp: srp('new'), status: 'CONFIRMED' as const, attributes: { name: 'Nia' } };
    assert.equal(await store.setPassword(pool.id, user.usernameKey, change, T0 + 100), true);
    assert.deepEqual(await second.getCredentials(pool.id, user.usernameKey), { passwordHash: '$argon2id$new', srp: srp('new'), passwordSetAt: T0 + 100, lockout: FRESH });
    const stored = (await second.getUser(pool.id, user.usernameKey))!;
    assert.deepEqual([stored.status, stored.updatedAt, stored.passwordHash], ['CONFIRMED', T0 + 100, '$argon2id$new']);
    assert.deepEqual(stored.attributes, { ...user.attributes, name: 'Nia' });
    assert.equal(await store.setPassword(pool.id, 'nobody', change, T0), false);
  });

  it('recordPasswordFailure lets the judge turn the stored state into the next one', async () => {
    const { pool, user } = await signedUpUser(store);
    const seen: LockoutState[] = [];
    const judge = (state: LockoutState) => {
      seen.push(state);
      return afterFailure(state, T0 + seen.length * 1000);
    };
    for (let i = 0; i < 5; i++) await (i % 2 ? second : store).recordPasswordFailure(pool.id, user.usernameKey, T0, judge);
    assert.deepEqual(seen.map((s) => s.failures), [0, 1, 2, 3, 4]);
    const locked = (await store.getCredentials(pool.id, user.usernameKey))!.lockout;
    assert.deepEqual(locked, { failures: 5, lockedUntil: T0 + 5000 + 1000, lastAttemptAt: T0 + 5000 });
    assert.equal(await store.recordPasswordFailure(pool.id, 'nobody', T0, judge), undefined);
  });

  it('an auth session is read without being consumed, taken once, and then told apart as used or expired', async () => {
    const { pool, user } = await signedUpUser(store);
    const session = authSession(pool.id, user.usernameKey);
    await store.insertAuthSession(session);
    assert.deepEqual(await second.peekAuthSession(session.digest, T0 + 1), { kind: 'live', session });
    assert.deepEqual(await second.takeAuthSession(session.digest, T0 + 1), { kind: 'taken', session });
    assert.deepEqual(await store.peekAuthSession(session.digest, T0 + 2), { kind: 'used' });
    assert.deepEqual(await store.takeAuthSession(session.digest, T0 + 2), { kind: 'used' });
    assert.deepEqual(await store.takeAuthSession(session.digest, session.expiresAt + 1), { kind: 'used' }, 'a reuse after expiry is still a reuse');

    const late = authSession(pool.id, user.usernameKey);
    await store.insertAuthSession(late);
    assert.deepEqual(await store.takeAuthSession(late.digest, late.expiresAt), { kind: 'expired' });
    assert.deepEqual(await store.peekAuthSession(late.digest, late.expiresAt - 1), { kind: 'live', session: late }, 'an expired take consumed the session');
    assert.deepEqual(await store.takeAuthSession(unique('no-such-digest'), T0), { kind: 'unknown' });
  });

  it('prunes sessions long past expiry on insert, and keeps recently expired ones', async () => {
    const { pool, user } = await signedUpUser(store);
    // Older than any other test's session, so the bounded prune (oldest first) reaches it at once.
    const now = T0;
    const ancient = authSession(pool.id, 'someone-else', { createdAt: now - 240 * HOUR, expiresAt: now - 239 * HOUR });
    assert.ok(ancient.expiresAt < now - SESSION_RETENTION_MS);
    const recent = authSession(pool.id, user.usernameKey, { createdAt: now - 10 * MINUTE, expiresAt: now - MINUTE });
    await store.insertAuthSession(ancient);
    await store.insertAuthSession(recent);
    await store.insertAuthSession(authSession(pool.id, user.usernameKey, { createdAt: now, expiresAt: now + 3 * MINUTE }));
    assert.deepEqual(await store.takeAuthSession(ancient.digest, now), { kind: 'unknown' });
    assert.deepEqual(await store.takeAuthSession(recent.digest, now), { kind: 'expired' });
  });

  it('stores the sessions of SignUp and ConfirmSignUp as auth sessions, only the second one redeemable', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    const user = userRecord(pool.id, 'joiner');
    const issued = (digest: string, expiresAt: number) => ({ digest, poolId: pool.id, usernameKey: 'joiner', clientId: 'client-1', expiresAt });
    const signUp = issued(unique('signup-'), T0 + 3 * MINUTE);
    await store.insertUser({ user, aliases: [], code: code(), messages: [], session: signUp });
    const confirmed = issued(unique('confirm-'), T0 + 1000 + 3 * MINUTE);
    await store.confirmSignUp(confirmRequest(pool.id, 'joiner', { judge: confirmIfUnconfirmed(), session: confirmed }));
    const common = { clientId: 'client-1', poolId: pool.id, usernameKey: 'joiner', sealedState: null };
    assert.deepEqual(await second.peekAuthSession(signUp.digest, T0), { kind: 'live', session: { ...common, digest: signUp.digest, challenge: 'SIGN_UP', createdAt: T0, expiresAt: signUp.expiresAt } });
    assert.deepEqual(await second.takeAuthSession(confirmed.digest, T0 + 2000), {
      kind: 'taken',
      session: { ...common, digest: confirmed.digest, challenge: 'CONFIRMED_SIGN_UP', createdAt: T0 + 1000, expiresAt: confirmed.expiresAt },
    });
  });

  it('completeSignIn consumes the session and applies every part of the step together', async () => {
    const { pool, user } = await signedUpUser(store);
    const key = user.usernameKey;
    await store.recordPasswordFailure(pool.id, key, T0, oneMore);
    const session = authSession(pool.id, key, { challenge: 'NEW_PASSWORD_REQUIRED' });
    await store.insertAuthSession(session);
    const next = authSession(pool.id, key, { challenge: 'SELECT_CHALLENGE', createdAt: T0 + 10 });
    const token = refreshToken(pool.id, key);
    const password = { passwordHash: '$argon2id$chosen', srp: srp('chosen'), status: 'CONFIRMED' as const, attributes: { given_name: 'Ada' } };
    const done = await second.completeSignIn({ poolId: pool.id, usernameKey: key, now: T0 + 10, consumeSession: session.digest, nextSession: next, refreshToken: token, resetLockout: true, password });
    assert.deepEqual(done, { kind: 'done' });
    assert.deepEqual(await store.takeAuthSession(session.digest, T0 + 11), { kind: 'used' });
    assert.deepEqual(await store.peekAuthSession(next.digest, T0 + 11), { kind: 'live', session: next });
    assert.deepEqual(await store.getRefreshToken(token.digest), token);
    assert.deepEqual(await store.getCredentials(pool.id, key), { passwordHash: '$argon2id$chosen', srp: srp('chosen'), passwordSetAt: T0 + 10, lockout: FRESH });
    assert.equal((await store.getUser(pool.id, key))!.attributes.given_name, 'Ada');
    assert.deepEqual(await store.completeSignIn({ poolId: pool.id, usernameKey: key, now: T0 + 20 }), { kind: 'done' }, 'a step with nothing to apply');
  });

  it('completeSignIn refuses a used, expired, unknown or foreign session and then applies nothing', async () => {
    const { pool, user } = await signedUpUser(store);
    const key = user.usernameKey;
    const used = authSession(pool.id, key);
    const expired = authSession(pool.id, key, { expiresAt: T0 + 5 });
    const foreign = authSession(pool.id, 'someone-else');
    for (const s of [used, expired, foreign]) await store.insertAuthSession(s);
    await store.takeAuthSession(used.digest, T0 + 1);
    const attempt = (consumeSession: string) => {
      const next = authSession(pool.id, key);
      const token = refreshToken(pool.id, key);
      return { next, token, completion: { poolId: pool.id, usernameKey: key, now: T0 + 10, consumeSession, nextSession: next, refreshToken: token } };
    };
    for (const [digest, kind] of [[used.digest, 'session-used'], [expired.digest, 'session-expired'], [unique('none'), 'session-unknown'], [foreign.digest, 'session-unknown']] as const) {
      const { next, token, completion } = attempt(digest);
      assert.deepEqual(await store.completeSignIn(completion), { kind }, digest);
      assert.deepEqual(await store.peekAuthSession(next.digest, T0 + 10), { kind: 'unknown' }, `a refused step (${kind}) stored its next session`);
      assert.equal(await store.getRefreshToken(token.digest), undefined, `a refused step (${kind}) stored its refresh token`);
    }
    assert.deepEqual(await store.peekAuthSession(foreign.digest, T0 + 10), { kind: 'live', session: foreign }, 'another user consumed the session');

    const orphan = authSession(pool.id, 'gone');
    await store.insertAuthSession(orphan);
    assert.deepEqual(await store.completeSignIn({ poolId: pool.id, usernameKey: 'gone', now: T0 + 10, consumeSession: orphan.digest }), { kind: 'user-gone' });
    assert.deepEqual(await store.peekAuthSession(orphan.digest, T0 + 10), { kind: 'live', session: orphan }, 'user-gone consumed the session');
  });

  it('insertAuthSession queues its messages with the session, in one transaction', async () => {
    const { pool, user } = await signedUpUser(store);
    const session = authSession(pool.id, user.usernameKey, { challenge: 'EMAIL_OTP' });
    const mail = { ...message(pool.id, user.username, T0 + 1), sealedPayload: 'sealed-code-1' };
    await store.insertAuthSession(session, [mail]);
    assert.deepEqual(await second.peekAuthSession(session.digest, T0 + 2), { kind: 'live', session });
    const queued = await second.listOutbox({ poolId: pool.id });
    assert.deepEqual(queued.map(({ poolId, username, medium, destination, sealedPayload, createdAt, status }) => ({ poolId, username, medium, destination, sealedPayload, createdAt, status })), [
      { ...mail, status: 'pending' },
    ]);

    // A message the outbox table refuses (destination is NOT NULL) must take its session with it.
    const refused = authSession(pool.id, user.usernameKey, { challenge: 'EMAIL_OTP' });
    const broken = { ...message(pool.id, user.username, T0 + 3), destination: null as unknown as string };
    await assert.rejects(store.insertAuthSession(refused, [message(pool.id, user.username, T0 + 3), broken]));
    assert.deepEqual(await second.peekAuthSession(refused.digest, T0 + 4), { kind: 'unknown' }, 'the session was stored without its code');
    assert.equal((await second.listOutbox({ poolId: pool.id })).length, 1, 'a message was queued for a session that was not stored');
  });

  it('recordSessionFailure counts wrong answers, spends the session at the limit, and leaves other sessions alone', async () => {
    const { pool, user } = await signedUpUser(store);
    const session = authSession(pool.id, user.usernameKey, { challenge: 'EMAIL_OTP' });
    const other = authSession(pool.id, user.usernameKey, { challenge: 'EMAIL_OTP' });
    await store.insertAuthSession(session);
    await store.insertAuthSession(other);
    assert.deepEqual(await store.recordSessionFailure(session.digest, T0 + 1, 3), { kind: 'counted', failures: 1, spent: false });
    assert.deepEqual(await second.recordSessionFailure(session.digest, T0 + 2, 3), { kind: 'counted', failures: 2, spent: false });
    assert.deepEqual(await store.peekAuthSession(session.digest, T0 + 2), { kind: 'live', session }, 'a wrong answer keeps the session');
    assert.deepEqual(await store.recordSessionFailure(session.digest, T0 + 3, 3), { kind: 'counted', failures: 3, spent: true });
    assert.deepEqual(await second.peekAuthSession(session.digest, T0 + 3), { kind: 'used' });
    assert.deepEqual(await store.recordSessionFailure(session.digest, T0 + 4, 3), { kind: 'spent' });
    assert.deepEqual(await store.peekAuthSession(other.digest, T0 + 4), { kind: 'live', session: other });
    assert.deepEqual(await store.recordSessionFailure(other.digest, other.expiresAt, 3), { kind: 'spent' }, 'an expired session counts nothing');
    assert.deepEqual(await store.recordSessionFailure(unique('no-such-digest'), T0, 3), { kind: 'spent' });
  });

  it('a session stored again under its digest starts with no failures', async () => {
    const { pool, user } = await signedUpUser(store);
    const session = authSession(pool.id, user.usernameKey, { challenge: 'EMAIL_OTP' });
    await store.insertAuthSession(session);
    await store.recordSessionFailure(session.digest, T0 + 1, 2);
    await store.insertAuthSession(session);
    assert.deepEqual(await store.recordSessionFailure(session.digest, T0 + 2, 2), { kind: 'counted', failures: 1, spent: false });
  });

  describe('under concurrency, across two instances', () => {
    it('20 simultaneous takes of one session: exactly one is taken', async () => {
      const { pool, user } = await signedUpUser(store);
      const session = authSession(pool.id, user.usernameKey);
      await store.insertAuthSession(session);
      const results = await spread(store, second, 20, (s) => s.takeAuthSession(session.digest, T0 + 1));
      assert.equal(count(results, (r) => r.kind === 'taken'), 1, JSON.stringify(results.map((r) => r.kind)));
      assert.equal(count(results, (r) => r.kind === 'used'), 19);
    });

    it('20 simultaneous completions consuming one session: exactly one is done, and only its token is stored', async () => {
      const { pool, user } = await signedUpUser(store);
      const session = authSession(pool.id, user.usernameKey);
      await store.insertAuthSession(session);
      const tokens = Array.from({ length: 20 }, () => refreshToken(pool.id, user.usernameKey));
      const results = await spread(store, second, 20, (s, i) =>
        s.completeSignIn({ poolId: pool.id, usernameKey: user.usernameKey, now: T0 + 1, consumeSession: session.digest, refreshToken: tokens[i], resetLockout: true }),
      );
      assert.equal(count(results, (r) => r.kind === 'done'), 1, JSON.stringify(results.map((r) => r.kind)));
      assert.equal(count(results, (r) => r.kind === 'session-used'), 19);
      const stored = await Promise.all(tokens.map((t) => store.getRefreshToken(t.digest)));
      assert.equal(count(stored, (t) => t !== undefined), 1, 'a refused completion stored its refresh token');
      assert.equal(tokens[results.findIndex((r) => r.kind === 'done')]!.digest, stored.find((t) => t)!.digest);
    });

    it('10 simultaneous password failures: every one is counted', async () => {
      const { pool, user } = await signedUpUser(store);
      const results = await spread(store, second, 10, (s) => s.recordPasswordFailure(pool.id, user.usernameKey, T0, oneMore));
      assert.deepEqual(results.map((r) => r!.failures).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.equal((await store.getCredentials(pool.id, user.usernameKey))!.lockout.failures, 10);
    });

    it('a take racing completions of the same session: exactly one of them wins', async () => {
      const { pool, user } = await signedUpUser(store);
      const session = authSession(pool.id, user.usernameKey);
      await store.insertAuthSession(session);
      const results = await spread(store, second, 10, async (s, i) =>
        i % 3 === 0
          ? (await s.takeAuthSession(session.digest, T0 + 1)).kind
          : (await s.completeSignIn({ poolId: pool.id, usernameKey: user.usernameKey, now: T0 + 1, consumeSession: session.digest })).kind,
      );
      assert.equal(count(results, (k) => k === 'taken' || k === 'done'), 1, results.join(','));
    });

    it('20 simultaneous wrong answers to one session: every one is counted, and the limit spends it once', async () => {
      const { pool, user } = await signedUpUser(store);
      const session = authSession(pool.id, user.usernameKey, { challenge: 'EMAIL_OTP' });
      await store.insertAuthSession(session);
      const results = await spread(store, second, 20, (s) => s.recordSessionFailure(session.digest, T0 + 1, 10));
      const counted = results.flatMap((r) => (r.kind === 'counted' ? [r] : []));
      assert.deepEqual(counted.map((r) => r.failures).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.deepEqual(counted.filter((r) => r.spent).map((r) => r.failures), [10]);
      assert.equal(results.filter((r) => r.kind === 'spent').length, 10);
    });
  });
});
