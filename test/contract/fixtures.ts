/** @module What the store contract's parts share: records to store, judges, and helpers to read back what a judge would see. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AliasClaim, OutboxMessage, PoolRecord, UserRecord } from '../../src/domain/records.ts';
import type { ConfirmJudgement, ConfirmRequest, ConfirmState, Store } from '../../src/store/store.ts';

export const T0 = 1_700_000_000_000;
export const HOUR = 3_600_000;
const run = randomBytes(3).toString('hex');
let seq = 0;
export const unique = (prefix: string) => `${prefix}${run}${String(++seq).padStart(4, '0')}`;

export function poolRecord(id = unique('us-east-1_p')): PoolRecord {
  return {
    id,
    name: `pool-${id}`,
    // Key order is part of what must come back: settings are returned as the API took them.
    settings: { UsernameConfiguration: { CaseSensitive: false }, AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'], Zeta: 1, Alpha: 2 },
    limits: { confirmAttemptsPerHour: 15, resendAttemptsPerHour: 5 },
    createdAt: T0,
    updatedAt: T0,
  };
}

export function userRecord(poolId: string, username: string, attributes: Record<string, string> = {}): UserRecord {
  return {
    poolId,
    username,
    usernameKey: username.toLowerCase(),
    sub: `${randomBytes(8).toString('hex')}-sub`,
    status: 'UNCONFIRMED',
    enabled: true,
    attributes: { email: `${username.toLowerCase()}@example.com`, ...attributes },
    passwordHash: '$argon2id$fake',
    createdAt: T0,
    updatedAt: T0,
  };
}

export const code = (digest = 'digest-1', expiresAt = T0 + 24 * HOUR) => ({ digest, deliveredTo: 'email' as const, expiresAt, createdAt: T0 });
export const emailAlias = (value: string): AliasClaim => ({ attribute: 'email', valueKey: value.toLowerCase() });

export function message(poolId: string, username: string, createdAt = T0): OutboxMessage {
  return { poolId, username, medium: 'EMAIL', destination: `${username}@example.com`, sealedPayload: `sealed-${username}`, createdAt };
}

/** What judgeConfirmation does, reduced to the parts the store must honour. */
export const confirmIfUnconfirmed =
  (aliases: AliasClaim[] = []) =>
  (state: ConfirmState): ConfirmJudgement =>
    state.user.status !== 'UNCONFIRMED'
      ? { kind: 'refuse', reason: 'status', countAttempt: false }
      : { kind: 'confirm', countAttempt: true, verify: 'email', aliases };
export const wrongCode = (): ConfirmJudgement => ({ kind: 'refuse', reason: 'mismatch', countAttempt: true });

export function confirmRequest(poolId: string, usernameKey: string, overrides: Partial<ConfirmRequest> = {}): ConfirmRequest {
  return { poolId, usernameKey, now: T0 + 1000, windowStart: T0 + 1000 - HOUR, consumeCode: true, forceAliasCreation: false, judge: confirmIfUnconfirmed(), ...overrides };
}

/** Asks the store what the judge would see now, without counting anything. */
export async function peek(store: Store, poolId: string, usernameKey: string, windowStart = T0 - HOUR): Promise<ConfirmState> {
  let seen: ConfirmState | undefined;
  await store.confirmSignUp(
    confirmRequest(poolId, usernameKey, {
      windowStart,
      judge: (state) => {
        seen = state;
        return { kind: 'refuse', reason: 'peek', countAttempt: false };
      },
    }),
  );
  assert.ok(seen, `user ${usernameKey} not found`);
  return seen;
}

export async function newPoolWithUser(store: Store, username = unique('user'), attributes: Record<string, string> = {}) {
  const pool = poolRecord();
  assert.equal(await store.createUserPool(pool), true);
  const user = userRecord(pool.id, username, attributes);
  assert.deepEqual(await store.insertUser({ user, aliases: [], code: code(), messages: [] }), { kind: 'created' });
  return { pool, user };
}

export async function allPages<T>(fetch: (cursor?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const result = await fetch(cursor);
    pages.push(result.items);
    cursor = result.next;
  } while (cursor);
  return pages;
}

export const count = <T>(items: T[], wanted: (item: T) => boolean) => items.filter(wanted).length;

/** Runs `call` `n` times at once, alternating between the two instances. */
export const spread = <T>(store: Store, second: Store, n: number, call: (s: Store, i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => call(i % 2 ? second : store, i)));
