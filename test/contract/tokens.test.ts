/**
 * @module The store contract for sign-in's tokens on every backend: refresh-token families, their
 * rotation and revocation, per-pool signing keys, what deleting a user or pool takes with it, and
 * the same intents racing across two instances.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachBackend } from './backends.ts';
import { count, HOUR, poolRecord, spread, T0, unique, userRecord } from './fixtures.ts';
import { authSession, refreshToken, rotatable, signingKey, signedUpUser } from './sign-in-fixtures.ts';

forEachBackend('refresh tokens and signing keys', (store, second) => {
  it('rotateRefreshToken rotates once, lets the old token retry within the grace period, and ends the family on reuse', async () => {
    const { pool, user } = await signedUpUser(store);
    const { old, next, rotation } = await rotatable(store, pool.id, user.usernameKey);
    const first = rotation(T0 + 10, 30_000);
    assert.deepEqual(await store.rotateRefreshToken(first), { kind: 'rotated' });
    assert.deepEqual(await second.getRefreshToken(old.digest), { ...old, rotatedAt: T0 + 10 });
    assert.deepEqual(await second.getRefreshToken(first.replacement.digest), first.replacement);

    const retry = rotation(T0 + 10 + 29_999, 30_000);
    assert.deepEqual(await second.rotateRefreshToken(retry), { kind: 'retried' });
    assert.deepEqual(await store.getRefreshToken(retry.replacement.digest), retry.replacement);
    assert.equal((await store.getRefreshToken(old.digest))?.rotatedAt, T0 + 10, 'a retry moved the start of the grace period');

    const late = rotation(T0 + 10 + 30_000, 30_000);
    assert.deepEqual(await store.rotateRefreshToken(late), { kind: 'reused' });
    assert.equal(await store.getRefreshToken(late.replacement.digest), undefined, 'a reuse stored its replacement');
    for (const t of [old, first.replacement, retry.replacement]) assert.equal((await second.getRefreshToken(t.digest))?.revokedAt, T0 + 10 + 30_000, 'a reuse left a token of the family alive');
    assert.equal(await second.familyRevoked(pool.id, old.originJti), true);
    assert.deepEqual(await second.rotateRefreshToken(rotation(T0 + 10 + 30_001, 30_000)), { kind: 'revoked' });
    assert.deepEqual(await store.rotateRefreshToken({ ...rotation(T0 + 20, 0), oldDigest: first.replacement.digest, replacement: next(T0 + 20) }), { kind: 'revoked' });
  });

  it('rotateRefreshToken with no grace period: the rotated-out token is reused at once', async () => {
    const { pool, user } = await signedUpUser(store);
    const { rotation } = await rotatable(store, pool.id, user.usernameKey);
    assert.deepEqual(await store.rotateRefreshToken(rotation(T0 + 10, 0)), { kind: 'rotated' });
    assert.deepEqual(await second.rotateRefreshToken(rotation(T0 + 10, 0)), { kind: 'reused' }, 'a rotated-out token worked again at the same instant');
    const { rotation: raced } = await rotatable(store, pool.id, user.usernameKey);
    assert.deepEqual(await store.rotateRefreshToken(raced(T0 + 10, 0)), { kind: 'rotated' });
    // A request that read its clock just before the rotation committed comes in with an earlier `now`.
    assert.deepEqual(await second.rotateRefreshToken(raced(T0 + 9, 0)), { kind: 'reused' }, 'an earlier clock reading reopened a grace period of 0');
  });

  it('rotateRefreshToken refuses unknown, foreign and revoked tokens and then stores nothing', async () => {
    const { pool, user } = await signedUpUser(store);
    const { old, rotation } = await rotatable(store, pool.id, user.usernameKey);
    const unknown = { ...rotation(T0 + 10, 0), oldDigest: unique('rt-none') };
    const foreign = { ...rotation(T0 + 10, 0), poolId: unique('us-east-1_other') };
    for (const r of [unknown, foreign]) {
      assert.deepEqual(await store.rotateRefreshToken(r), { kind: 'unknown' });
      assert.equal(await store.getRefreshToken(r.replacement.digest), undefined);
    }
    assert.equal((await store.getRefreshToken(old.digest))?.rotatedAt, null, 'a refused rotation through another pool rotated the token');

    assert.equal(await store.revokeFamily(pool.id, old.originJti, T0 + 20), true);
    const revoked = rotation(T0 + 30, 60_000);
    assert.deepEqual(await second.rotateRefreshToken(revoked), { kind: 'revoked' });
    assert.equal(await store.getRefreshToken(revoked.replacement.digest), undefined);
    assert.equal((await store.getRefreshToken(old.digest))?.rotatedAt, null);
  });

  it('a sign-out ends tokens rotated out within their grace period, and a row of a revoked family reads as revoked', async () => {
    const { pool, user } = await signedUpUser(store);
    const { old, next, rotation } = await rotatable(store, pool.id, user.usernameKey);
    assert.deepEqual(await store.rotateRefreshToken(rotation(T0 + 10, 60_000)), { kind: 'rotated' });
    assert.equal(await second.revokeUserTokens(pool.id, user.usernameKey, T0 + 20), 2);
    assert.deepEqual(await store.rotateRefreshToken(rotation(T0 + 30, 60_000)), { kind: 'revoked' }, 'the grace period outlived a sign-out');
    // A row the revocation did not reach, as a rotation committing during a sign-out's UPDATE leaves
    // one on PostgreSQL: its family decides.
    const straggler = next(T0 + 40);
    await store.completeSignIn({ poolId: pool.id, usernameKey: user.usernameKey, now: T0 + 40, refreshToken: straggler });
    assert.equal((await second.getRefreshToken(straggler.digest))?.revokedAt, T0 + 20);
    assert.deepEqual(await store.rotateRefreshToken({ ...rotation(T0 + 50, 60_000), oldDigest: straggler.digest }), { kind: 'revoked' });
    assert.equal((await store.getRefreshToken(old.digest))?.revokedAt, T0 + 20);
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

  it('refreshTokensOfUser lists a user\'s kept tokens newest first, with the family\'s revocation, and no one else\'s', async () => {
    const { pool, user } = await signedUpUser(store);
    const bystander = await signedUpUser(store);
    const { old, rotation } = await rotatable(store, pool.id, user.usernameKey);
    const rotated = rotation(T0 + 10, 0);
    assert.deepEqual(await store.rotateRefreshToken(rotated), { kind: 'rotated' });
    const other = refreshToken(pool.id, user.usernameKey, { clientId: 'client-2', issuedAt: T0 + 20, authTime: T0 + 20 });
    await store.completeSignIn({ poolId: pool.id, usernameKey: user.usernameKey, now: T0 + 20, refreshToken: other });
    await store.completeSignIn({ poolId: bystander.pool.id, usernameKey: bystander.user.usernameKey, now: T0, refreshToken: refreshToken(bystander.pool.id, bystander.user.usernameKey) });
    assert.equal(await store.revokeFamily(pool.id, old.originJti, T0 + 30), true);

    const listed = await second.refreshTokensOfUser(pool.id, user.usernameKey, 10);
    assert.deepEqual(listed, [
      other,
      { ...rotated.replacement, revokedAt: T0 + 30 },
      { ...old, rotatedAt: T0 + 10, revokedAt: T0 + 30 },
    ]);
    assert.deepEqual((await store.refreshTokensOfUser(pool.id, user.usernameKey, 1)).map((t) => t.digest), [other.digest], 'the limit was not kept');
    assert.deepEqual(await store.refreshTokensOfUser(bystander.pool.id, user.usernameKey, 10), [], 'another pool\'s user of that name');
    assert.equal(await store.deleteUser(pool.id, user.usernameKey), true);
    assert.deepEqual(await second.refreshTokensOfUser(pool.id, user.usernameKey, 10), []);
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
    it('two simultaneous rotations of one token on a grace-0 client: one rotates, the other is a reuse', async () => {
      for (let round = 0; round < 5; round++) {
        const { pool, user } = await signedUpUser(store);
        const { rotation } = await rotatable(store, pool.id, user.usernameKey);
        const attempts = [rotation(T0 + 10, 0), rotation(T0 + 10, 0)];
        const results = await spread(store, second, 2, (s, i) => s.rotateRefreshToken(attempts[i]!));
        assert.deepEqual(results.map((r) => r.kind).sort(), ['reused', 'rotated'], `round ${round}`);
        const stored = await Promise.all(attempts.map((a) => store.getRefreshToken(a.replacement.digest)));
        assert.equal(count(stored, (t) => t !== undefined), 1, 'the losing rotation stored its replacement');
      }
    });

    it('20 simultaneous rotations of one token: one rotates; on grace 0 the rest are refused, within grace they all retry', async () => {
      const strict = await signedUpUser(store);
      const { rotation } = await rotatable(store, strict.pool.id, strict.user.usernameKey);
      const refused = await spread(store, second, 20, (s) => s.rotateRefreshToken(rotation(T0 + 10, 0)));
      assert.equal(count(refused, (r) => r.kind === 'rotated'), 1, JSON.stringify(refused.map((r) => r.kind)));
      // The first loser ends the family, so the ones after it find the token revoked.
      assert.ok(refused.some((r) => r.kind === 'reused'), JSON.stringify(refused.map((r) => r.kind)));
      assert.equal(count(refused, (r) => r.kind === 'reused' || r.kind === 'revoked'), 19);

      const lenient = await signedUpUser(store);
      const graced = await rotatable(store, lenient.pool.id, lenient.user.usernameKey);
      const attempts = Array.from({ length: 20 }, () => graced.rotation(T0 + 10, 60_000));
      const retried = await spread(store, second, 20, (s, i) => s.rotateRefreshToken(attempts[i]!));
      assert.deepEqual([count(retried, (r) => r.kind === 'rotated'), count(retried, (r) => r.kind === 'retried')], [1, 19]);
      for (const a of attempts) assert.ok(await store.getRefreshToken(a.replacement.digest), 'a retry within grace stored no replacement');
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
  });
});
