/**
 * @module The store contract for the sessions-and-tokens aggregate on every backend: credentials
 * and lockout counts, auth sessions taken once, completed sign-in steps, refresh-token families
 * and their revocation, per-pool signing keys, and the same intents racing across two instances.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterFailure, FRESH, type LockoutState } from '../../src/domain/lockout.ts';
import { SESSION_RETENTION_MS, type AuthSessionRecord, type RefreshTokenRecord, type SigningKeyRecord } from '../../src/store/sign-in-store.ts';
import type { Store } from '../../src/store/store.ts';
import { forEachBackend } from './backends.ts';
import { code, confirmIfUnconfirmed, confirmRequest, count, HOUR, poolRecord, spread, T0, unique, userRecord } from './fixtures.ts';

const MINUTE = 60_000;
const srp = (n: string) => ({ salt: `salt-${n}`, sealedVerifier: `sealed-verifier-${n}` });

function authSession(poolId: string, usernameKey: string, overrides: Partial<AuthSessionRecord> = {}): AuthSessionRecord {
  return {
    digest: unique('digest-'),
    poolId,
    clientId: 'client-1',
    usernameKey,
    challenge: 'PASSWORD_VERIFIER',
    sealedState: 'sealed-srp-state',
    createdAt: T0,
    expiresAt: T0 + 3 * MINUTE,
    ...overrides,
  };
}

function refreshToken(poolId: string, usernameKey: string, overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    digest: unique('rt-'),
    poolId,
    clientId: 'client-1',
    usernameKey,
    originJti: unique('jti-'),
    authTime: T0,
    issuedAt: T0,
    expiresAt: T0 + 30 * 24 * HOUR,
    revokedAt: null,
    ...overrides,
  };
}

function signingKey(poolId: string, use: SigningKeyRecord['use'], createdAt = T0): SigningKeyRecord {
  const kid = unique(`kid-${use}-`);
  return { poolId, kid, use, sealedPrivateKey: `sealed-${kid}`, publicJwk: `{"alg":"RS256","kid":"${kid}"}`, createdAt, retiredAt: null };
}

/** A pool with one CONFIRMED user holding a password and a verifier. */
async function signedUpUser(store: Store, username = unique('user')) {
  const pool = poolRecord();
  await store.createUserPool(pool);
  const user = { ...userRecord(pool.id, username), status: 'CONFIRMED' as const };
  assert.deepEqual(await store.insertUser({ user, srp: srp('first'), passwordSetAt: T0 - 5, aliases: [], messages: [] }), { kind: 'created' });
  return { pool, user };
}

const oneMore = (s: LockoutState): LockoutState => ({ failures: s.failures + 1, lockedUntil: 0, lastAttemptAt: s.lastAttemptAt + 1 });

forEachBackend('sessions and tokens', (store, second) => {
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

  it('revokes a token family or every token of a user, visibly from the other instance', async () => {
    const { pool, user } = await signedUpUser(store);
    const key = user.usernameKey;
    await store.insertUser({ user: userRecord(pool.id, 'bystander'), aliases: [], messages: [] });
    const family = refreshToken(pool.id, key);
    const sibling = refreshToken(pool.id, key, { originJti: family.originJti, issuedAt: T0 + 5 });
    const other = refreshToken(pool.id, key);
    const bystander = refreshToken(pool.id, 'bystander');
    for (const t of [family, sibling, other, bystander]) assert.deepEqual(await store.completeSignIn({ poolId: pool.id, usernameKey: t.usernameKey, now: T0, refreshToken: t }), { kind: 'done' });

    assert.equal(await second.familyRevoked(pool.id, family.originJti), false);
    assert.equal(await store.revokeFamily(pool.id, family.originJti, T0 + 100), true);
    assert.equal(await second.familyRevoked(pool.id, family.originJti), true);
    assert.equal((await second.getRefreshToken(sibling.digest))?.revokedAt, T0 + 100);
    assert.equal(await store.revokeFamily(pool.id, family.originJti, T0 + 200), true);
    assert.equal((await second.getRefreshToken(family.digest))?.revokedAt, T0 + 100, 'a second revocation moved the first one\'s time');
    assert.equal(await store.revokeFamily(pool.id, unique('jti-unknown'), T0), false);
    assert.equal(await store.revokeFamily(unique('other-pool'), other.originJti, T0), false, 'a family revoked through another pool');
    assert.equal(await second.familyRevoked(pool.id, other.originJti), false);

    assert.equal(await second.revokeUserTokens(pool.id, key, T0 + 300), 1);
    assert.equal(await store.familyRevoked(pool.id, other.originJti), true);
    assert.equal(await store.revokeUserTokens(pool.id, key, T0 + 400), 0);
    assert.equal((await store.getRefreshToken(bystander.digest))?.revokedAt, null, 'another user was signed out');
  });

  it('prunes a user\'s refresh tokens a day past their expiry when it gets a new one', async () => {
    const { pool, user } = await signedUpUser(store);
    const old = refreshToken(pool.id, user.usernameKey, { expiresAt: T0 });
    const fresh = refreshToken(pool.id, user.usernameKey, { expiresAt: T0 + 10 * 24 * HOUR });
    await store.completeSignIn({ poolId: pool.id, usernameKey: user.usernameKey, now: T0, refreshToken: old });
    await store.completeSignIn({ poolId: pool.id, usernameKey: user.usernameKey, now: T0 + 23 * HOUR, refreshToken: fresh });
    assert.ok(await store.getRefreshToken(old.digest), 'pruned while its access tokens could still be shown');
    await store.completeSignIn({ poolId: pool.id, usernameKey: user.usernameKey, now: T0 + 25 * HOUR, refreshToken: refreshToken(pool.id, user.usernameKey) });
    assert.equal(await store.getRefreshToken(old.digest), undefined);
    assert.ok(await store.getRefreshToken(fresh.digest));
  });

  it('keeps one current signing key per use: adding keeps the first pair, rotating retires it', async () => {
    const pool = poolRecord();
    await store.createUserPool(pool);
    assert.deepEqual(await store.getSigningKeys(pool.id), []);
    const first = [signingKey(pool.id, 'id'), signingKey(pool.id, 'access')];
    const added = await store.addSigningKeys(first);
    assert.deepEqual(new Set(added.map((k) => k.kid)), new Set(first.map((k) => k.kid)));
    assert.deepEqual(added.find((k) => k.kid === first[0]!.kid), first[0]);
    const later = await second.addSigningKeys([signingKey(pool.id, 'id', T0 + 1), signingKey(pool.id, 'access', T0 + 1)]);
    assert.deepEqual(later, added, 'a second pair was added next to the current one');

    const replacements = [signingKey(pool.id, 'id', T0 + 50)];
    await second.rotateSigningKeys(pool.id, replacements, T0 + 50);
    const keys = await store.getSigningKeys(pool.id);
    assert.deepEqual(keys[0], replacements[0], 'newest first');
    const current = keys.filter((k) => k.retiredAt === null).map((k) => k.kid).sort();
    assert.deepEqual(current, [first[1]!.kid, replacements[0]!.kid].sort());
    assert.equal(keys.find((k) => k.kid === first[0]!.kid)?.retiredAt, T0 + 50);
    assert.deepEqual(await store.addSigningKeys([signingKey(unique('us-east-1_gone'), 'id')]), [], 'keys were added to a pool that does not exist');
  });

  it('deleting a user or a pool takes its sessions, refresh tokens and keys with it', async () => {
    const { pool, user } = await signedUpUser(store);
    await store.insertUser({ user: userRecord(pool.id, 'stays'), aliases: [], messages: [] });
    const mine = authSession(pool.id, user.usernameKey);
    const theirs = authSession(pool.id, 'stays');
    const standIn = authSession(pool.id, 'never-existed');
    for (const s of [mine, theirs, standIn]) await store.insertAuthSession(s);
    const myToken = refreshToken(pool.id, user.usernameKey);
    const theirToken = refreshToken(pool.id, 'stays');
    for (const t of [myToken, theirToken]) await store.completeSignIn({ poolId: pool.id, usernameKey: t.usernameKey, now: T0, refreshToken: t });
    await store.addSigningKeys([signingKey(pool.id, 'id'), signingKey(pool.id, 'access')]);

    assert.equal(await second.deleteUser(pool.id, user.usernameKey), true);
    assert.deepEqual(await store.peekAuthSession(mine.digest, T0), { kind: 'unknown' });
    assert.equal(await store.getRefreshToken(myToken.digest), undefined);
    assert.deepEqual((await store.peekAuthSession(theirs.digest, T0)).kind, 'live');
    assert.ok(await store.getRefreshToken(theirToken.digest));

    assert.equal(await second.deleteUserPool(pool.id), true);
    assert.deepEqual(await store.getSigningKeys(pool.id), []);
    assert.deepEqual(await store.peekAuthSession(theirs.digest, T0), { kind: 'unknown' });
    assert.deepEqual(await store.peekAuthSession(standIn.digest, T0), { kind: 'unknown' });
    assert.equal(await store.getRefreshToken(theirToken.digest), undefined);
  });

  it('wipe removes sessions, refresh tokens and signing keys too', async () => {
    const { pool, user } = await signedUpUser(store);
    const session = authSession(pool.id, user.usernameKey);
    await store.insertAuthSession(session);
    const token = refreshToken(pool.id, user.usernameKey);
    await store.completeSignIn({ poolId: pool.id, usernameKey: user.usernameKey, now: T0, refreshToken: token });
    await store.addSigningKeys([signingKey(pool.id, 'id')]);
    await store.wipe();
    assert.deepEqual(await second.peekAuthSession(session.digest, T0), { kind: 'unknown' });
    assert.equal(await second.getRefreshToken(token.digest), undefined);
    assert.deepEqual(await second.getSigningKeys(pool.id), []);
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

    it('two instances creating a new pool\'s first keys: one pair wins, and both are told the same pair', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      const pairs = Array.from({ length: 8 }, () => [signingKey(pool.id, 'id'), signingKey(pool.id, 'access')]);
      const answers = await spread(store, second, 8, (s, i) => s.addSigningKeys(pairs[i]!));
      const kept = await store.getSigningKeys(pool.id);
      assert.equal(kept.length, 2, JSON.stringify(kept.map((k) => k.kid)));
      assert.deepEqual(kept.map((k) => k.use).sort(), ['access', 'id']);
      assert.ok(pairs.some((pair) => pair.every((k) => kept.some((x) => x.kid === k.kid))), 'the winning keys come from two callers');
      for (const answer of answers) assert.deepEqual(answer, kept);
    });

    it('two simultaneous rotations both apply, one after the other: one current key per use remains', async () => {
      const pool = poolRecord();
      await store.createUserPool(pool);
      await store.addSigningKeys([signingKey(pool.id, 'id'), signingKey(pool.id, 'access')]);
      const rounds = Array.from({ length: 4 }, (_, i) => [signingKey(pool.id, 'id', T0 + i + 1), signingKey(pool.id, 'access', T0 + i + 1)]);
      await spread(store, second, 4, (s, i) => s.rotateSigningKeys(pool.id, rounds[i]!, T0 + 100 + i));
      const keys = await second.getSigningKeys(pool.id);
      assert.equal(keys.length, 10);
      assert.deepEqual(keys.filter((k) => k.retiredAt === null).map((k) => k.use).sort(), ['access', 'id']);
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
  });
});

