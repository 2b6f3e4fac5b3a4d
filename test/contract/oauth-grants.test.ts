/**
 * @module The store contract for the OAuth grants aggregate on every backend: authorization codes
 * (bound fields back intact, single use with one winner among 20 concurrent redemptions across two
 * instances, expiry, another pool's digest unknown) and browser sessions (live, expired, ended),
 * and the cascade when the user or the pool is deleted.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AuthorizationCodeRecord, BrowserSessionRecord } from '../../src/store/oauth-grant-store.ts';
import { count, newPoolWithUser, spread, T0, unique } from './fixtures.ts';
import { forEachBackend } from './backends.ts';

const FIVE_MINUTES = 5 * 60_000;

function codeRecord(poolId: string, usernameKey: string, extra: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    digest: unique('code-digest-'),
    poolId,
    clientId: 'client1',
    usernameKey,
    redirectUri: 'https://app.example.com/cb?x=1',
    scopes: ['openid', 'email', 'api/read'],
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    nonce: 'n-0S6_WzA2Mj',
    authTime: T0 - 1000,
    createdAt: T0,
    expiresAt: T0 + FIVE_MINUTES,
    usedAt: null,
    ...extra,
  };
}

function sessionRecord(poolId: string, usernameKey: string, extra: Partial<BrowserSessionRecord> = {}): BrowserSessionRecord {
  return { digest: unique('session-digest-'), poolId, usernameKey, authTime: T0, createdAt: T0, expiresAt: T0 + 3_600_000, endedAt: null, ...extra };
}

forEachBackend('oauth grants', (store, second) => {
  it('issues a code and redeems it once, with every bound field back as issued', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('coder'));
    const code = codeRecord(pool.id, user.usernameKey);
    assert.equal(await store.issueAuthorizationCode(code), true);
    const redeemed = await second.redeemAuthorizationCode(pool.id, code.digest, T0 + 1000);
    assert.deepEqual(redeemed, { kind: 'redeemed', code: { ...code, usedAt: T0 + 1000 } });
    assert.deepEqual(await store.redeemAuthorizationCode(pool.id, code.digest, T0 + 2000), { kind: 'used' });

    const bare = codeRecord(pool.id, user.usernameKey, { codeChallenge: null, nonce: null, scopes: [] });
    await store.issueAuthorizationCode(bare);
    const plain = await store.redeemAuthorizationCode(pool.id, bare.digest, T0);
    assert.equal(plain.kind, 'redeemed');
    assert.deepEqual(plain.kind === 'redeemed' && plain.code, { ...bare, usedAt: T0 }, 'nulls and an empty scope list come back as such');
  });

  it('has exactly one winner among 20 concurrent redemptions across two instances', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('racer'));
    const code = codeRecord(pool.id, user.usernameKey);
    await store.issueAuthorizationCode(code);
    const results = await spread(store, second, 20, (s) => s.redeemAuthorizationCode(pool.id, code.digest, T0 + 10));
    assert.equal(count(results, (r) => r.kind === 'redeemed'), 1, JSON.stringify(results.map((r) => r.kind)));
    assert.equal(count(results, (r) => r.kind === 'used'), 19);
  });

  it('refuses an expired code, an unknown one and another pool\'s', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('late'));
    const other = await newPoolWithUser(store, unique('other'));
    const code = codeRecord(pool.id, user.usernameKey);
    await store.issueAuthorizationCode(code);
    assert.deepEqual(await store.redeemAuthorizationCode(other.pool.id, code.digest, T0), { kind: 'unknown' }, 'a digest of another pool is unknown');
    assert.deepEqual(await store.redeemAuthorizationCode(pool.id, code.digest, T0 + FIVE_MINUTES), { kind: 'expired' }, 'expiry is exclusive');
    assert.deepEqual(await second.redeemAuthorizationCode(pool.id, code.digest, T0 + FIVE_MINUTES - 1), { kind: 'redeemed', code: { ...code, usedAt: T0 + FIVE_MINUTES - 1 } });
    assert.deepEqual(await store.redeemAuthorizationCode(pool.id, 'no-such-digest', T0), { kind: 'unknown' });
  });

  it('records the scopes of the family the winning redemption starts, and only then', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('family'));
    const code = codeRecord(pool.id, user.usernameKey);
    await store.issueAuthorizationCode(code);
    const family = { originJti: unique('family-jti-'), expiresAt: T0 + 30 * 86_400_000 };
    const results = await spread(store, second, 6, (s, i) => s.redeemAuthorizationCode(pool.id, code.digest, T0, { ...family, originJti: `${family.originJti}-${i}` }));
    const winner = results.findIndex((r) => r.kind === 'redeemed');
    assert.ok(winner >= 0);
    for (let i = 0; i < 6; i++) {
      assert.deepEqual(await second.grantedScopes(pool.id, `${family.originJti}-${i}`), i === winner ? code.scopes : undefined, `family ${i}`);
    }
    assert.equal(await store.grantedScopes(pool.id, 'an-api-sign-in-family'), undefined);
    await store.deleteUser(pool.id, user.usernameKey);
    assert.equal(await store.grantedScopes(pool.id, `${family.originJti}-${winner}`), undefined, 'gone with the user');
  });

  it('issues nothing for a user who does not exist', async () => {
    const { pool } = await newPoolWithUser(store, unique('ghost'));
    assert.equal(await store.issueAuthorizationCode(codeRecord(pool.id, 'nobody')), false);
    assert.equal(await second.startBrowserSession(sessionRecord(pool.id, 'nobody')), false);
  });

  it('keeps a browser session live until it expires or ends', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('browser'));
    const other = await newPoolWithUser(store, unique('elsewhere'));
    const session = sessionRecord(pool.id, user.usernameKey);
    assert.equal(await store.startBrowserSession(session), true);
    assert.deepEqual(await second.browserSession(pool.id, session.digest, T0 + 1), session);
    assert.equal(await store.browserSession(other.pool.id, session.digest, T0 + 1), undefined, 'another pool does not see it');
    assert.equal(await store.browserSession(pool.id, session.digest, session.expiresAt), undefined, 'expired at its expiry');

    assert.equal(await second.endBrowserSession(other.pool.id, session.digest, T0 + 2), false);
    assert.equal(await second.endBrowserSession(pool.id, session.digest, T0 + 2), true);
    assert.equal(await store.endBrowserSession(pool.id, session.digest, T0 + 3), false, 'ending twice changes nothing');
    assert.equal(await store.browserSession(pool.id, session.digest, T0 + 3), undefined);
  });

  it('browserSessionsOfUser lists a user\'s kept sessions newest first, ended ones included, and no one else\'s', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('watched'));
    const other = await newPoolWithUser(store, unique('unwatched'));
    const older = sessionRecord(pool.id, user.usernameKey);
    const newer = sessionRecord(pool.id, user.usernameKey, { createdAt: T0 + 5, authTime: T0 + 5 });
    await store.startBrowserSession(older);
    await second.startBrowserSession(newer);
    await store.startBrowserSession(sessionRecord(other.pool.id, other.user.usernameKey));
    assert.equal(await store.endBrowserSession(pool.id, older.digest, T0 + 7), true);
    assert.deepEqual(await second.browserSessionsOfUser(pool.id, user.usernameKey, 10), [newer, { ...older, endedAt: T0 + 7 }]);
    assert.deepEqual(await store.browserSessionsOfUser(pool.id, user.usernameKey, 1), [newer], 'the limit was not kept');
    assert.deepEqual(await store.browserSessionsOfUser(other.pool.id, user.usernameKey, 10), []);
  });

  it('takes a user\'s codes and sessions with the user, and the pool\'s with the pool', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('leaver'));
    const code = codeRecord(pool.id, user.usernameKey);
    const session = sessionRecord(pool.id, user.usernameKey);
    await store.issueAuthorizationCode(code);
    await store.startBrowserSession(session);
    assert.equal(await store.deleteUser(pool.id, user.usernameKey), true);
    assert.deepEqual(await second.redeemAuthorizationCode(pool.id, code.digest, T0), { kind: 'unknown' });
    assert.equal(await second.browserSession(pool.id, session.digest, T0), undefined);

    const gone = await newPoolWithUser(store, unique('pooled'));
    const poolCode = codeRecord(gone.pool.id, gone.user.usernameKey);
    const poolSession = sessionRecord(gone.pool.id, gone.user.usernameKey);
    await store.issueAuthorizationCode(poolCode);
    await store.startBrowserSession(poolSession);
    assert.equal(await store.deleteUserPool(gone.pool.id), true);
    assert.deepEqual(await second.redeemAuthorizationCode(gone.pool.id, poolCode.digest, T0), { kind: 'unknown' });
    assert.equal(await second.browserSession(gone.pool.id, poolSession.digest, T0), undefined);
  });

  it('prunes rows long past their expiry as new ones are issued', async () => {
    const { pool, user } = await newPoolWithUser(store, unique('pruned'));
    const old = codeRecord(pool.id, user.usernameKey, { createdAt: T0 - 10 * 3_600_000, expiresAt: T0 - 10 * 3_600_000 + FIVE_MINUTES });
    await store.issueAuthorizationCode(old);
    assert.deepEqual(await store.redeemAuthorizationCode(pool.id, old.digest, T0 - 9 * 3_600_000), { kind: 'expired' });
    await second.issueAuthorizationCode(codeRecord(pool.id, user.usernameKey));
    assert.deepEqual(await store.redeemAuthorizationCode(pool.id, old.digest, T0), { kind: 'unknown' }, 'the old row went with the prune');
  });
});
