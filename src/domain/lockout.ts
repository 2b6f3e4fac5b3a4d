/**
 * @module Lockout after failed passwords (sign-in spec §9): five failures are plain refusals; from
 * the fifth on each failure locks the user for 2^(n−5) seconds, capped; attempts during a lockout
 * are refused without counting; a success after the lockout, or a quiet spell, starts over.
 */

export interface LockoutPolicy {
  /** Failures allowed before the first lockout. */
  threshold: number;
  /** Seconds of the first lockout; each further failure doubles it. */
  baseSeconds: number;
  capSeconds: number;
  /** Minutes without any attempt after which the count starts over. */
  quietMinutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 5, baseSeconds: 1, capSeconds: 900, quietMinutes: 15 };

export interface LockoutState {
  failures: number;
  lockedUntil: number;
  lastAttemptAt: number;
}

export const FRESH: LockoutState = { failures: 0, lockedUntil: 0, lastAttemptAt: 0 };

/** The state as it stands at `now`: a long quiet spell forgets earlier failures. */
export function current(state: LockoutState, now: number, policy = DEFAULT_LOCKOUT): LockoutState {
  return state.failures > 0 && now - state.lastAttemptAt >= policy.quietMinutes * 60_000 && now >= state.lockedUntil ? FRESH : state;
}

export function isLocked(state: LockoutState, now: number): boolean {
  return now < state.lockedUntil;
}

/** After a wrong password (never called while locked: those attempts do not count). */
export function afterFailure(state: LockoutState, now: number, policy = DEFAULT_LOCKOUT): LockoutState {
  const failures = current(state, now, policy).failures + 1;
  const lockSeconds = failures >= policy.threshold ? Math.min(policy.capSeconds, policy.baseSeconds * 2 ** (failures - policy.threshold)) : 0;
  return { failures, lockedUntil: lockSeconds ? now + lockSeconds * 1000 : 0, lastAttemptAt: now };
}

export function afterSuccess(): LockoutState {
  return FRESH;
}
