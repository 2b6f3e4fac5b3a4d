/** @module Lockout arithmetic: the documented 2^(n−5) schedule, the cap, the quiet-spell reset. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterFailure, current, FRESH, isLocked, type LockoutState } from './lockout.ts';

const T0 = 1_700_000_000_000;

test('four failures lock nothing; the fifth locks 1 s, the sixth 2 s, the seventh 4 s', () => {
  let state: LockoutState = FRESH;
  let now = T0;
  const locks: number[] = [];
  for (let i = 1; i <= 7; i++) {
    state = afterFailure(state, now);
    locks.push(state.lockedUntil ? (state.lockedUntil - now) / 1000 : 0);
    now = Math.max(now, state.lockedUntil) + 1;
  }
  assert.deepEqual(locks, [0, 0, 0, 0, 1, 2, 4]);
});

test('locked inside the window, free at its end; the lockout is capped at 900 s', () => {
  let state: LockoutState = { failures: 30, lockedUntil: 0, lastAttemptAt: T0 };
  state = afterFailure(state, T0 + 1);
  assert.equal(state.lockedUntil, T0 + 1 + 900_000);
  assert.equal(isLocked(state, T0 + 900_000), true);
  assert.equal(isLocked(state, T0 + 1 + 900_000), false);
});

test('15 quiet minutes forget the failures, but not while a lockout runs', () => {
  const state: LockoutState = { failures: 4, lockedUntil: 0, lastAttemptAt: T0 };
  assert.equal(current(state, T0 + 14 * 60_000).failures, 4);
  assert.deepEqual(current(state, T0 + 15 * 60_000), FRESH);
  const locked: LockoutState = { failures: 20, lockedUntil: T0 + 20 * 60_000, lastAttemptAt: T0 };
  assert.equal(current(locked, T0 + 16 * 60_000).failures, 20);
});
