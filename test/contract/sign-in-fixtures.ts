/** @module Records and set-ups the sessions-and-tokens contract suites share: auth sessions, refresh tokens, signing keys, a signed-up user. */
import assert from 'node:assert/strict';
import type { LockoutState } from '../../src/domain/lockout.ts';
import type { AuthSessionRecord, RefreshTokenRecord, SigningKeyRecord } from '../../src/store/sign-in-store.ts';
import type { Store } from '../../src/store/store.ts';
import { HOUR, poolRecord, T0, unique, userRecord } from './fixtures.ts';

export const MINUTE = 60_000;
export const srp = (n: string) => ({ salt: `salt-${n}`, sealedVerifier: `sealed-verifier-${n}` });

export function authSession(poolId: string, usernameKey: string, overrides: Partial<AuthSessionRecord> = {}): AuthSessionRecord {
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

export function refreshToken(poolId: string, usernameKey: string, overrides: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
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
    rotatedAt: null,
    ...overrides,
  };
}

/** A token to rotate, stored, and a maker of its replacements: same family and auth time, new digest. */
export async function rotatable(store: Store, poolId: string, usernameKey: string) {
  const old = refreshToken(poolId, usernameKey);
  assert.deepEqual(await store.completeSignIn({ poolId, usernameKey, now: T0, refreshToken: old }), { kind: 'done' });
  const next = (issuedAt: number) => refreshToken(poolId, usernameKey, { originJti: old.originJti, issuedAt, expiresAt: old.expiresAt });
  const rotation = (now: number, graceMs: number, replacement = next(now)) => ({ poolId, oldDigest: old.digest, now, graceMs, replacement });
  return { old, next, rotation };
}

export function signingKey(poolId: string, use: SigningKeyRecord['use'], createdAt = T0): SigningKeyRecord {
  const kid = unique(`kid-${use}-`);
  return { poolId, kid, use, sealedPrivateKey: `sealed-${kid}`, publicJwk: `{"alg":"RS256","kid":"${kid}"}`, createdAt, retiredAt: null };
}

/** A pool with one CONFIRMED user holding a password and a verifier. */
export async function signedUpUser(store: Store, username = unique('user')) {
  const pool = poolRecord();
  await store.createUserPool(pool);
  const user = { ...userRecord(pool.id, username), status: 'CONFIRMED' as const };
  assert.deepEqual(await store.insertUser({ user, srp: srp('first'), passwordSetAt: T0 - 5, aliases: [], messages: [] }), { kind: 'created' });
  return { pool, user };
}

export const oneMore = (s: LockoutState): LockoutState => ({ failures: s.failures + 1, lockedUntil: 0, lastAttemptAt: s.lastAttemptAt + 1 });
