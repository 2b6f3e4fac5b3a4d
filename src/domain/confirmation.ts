/**
 * @module The ConfirmSignUp decision (spec §3 steps 8–11, §5.2, §5.6, §5.8), a pure function of the
 * locked user, the outstanding code and the attempt count, so the store can apply it atomically.
 */
import type { ConfirmJudgement, ConfirmState } from '../store/store.ts';
import type { AliasClaim } from './records.ts';
import type { PoolView } from './pool-view.ts';
import { aliasKey } from './usernames.ts';

export type RefusalReason = 'disabled' | 'status' | 'limited' | 'expired' | 'mismatch';

export interface ConfirmInputs {
  pool: PoolView;
  limit: number;
  now: number;
  /** Compares the submitted code against the stored digest in constant time. */
  codeMatches: (state: ConfirmState) => boolean;
}

const refuse = (reason: RefusalReason, countAttempt: boolean): ConfirmJudgement => ({ kind: 'refuse', reason, countAttempt });

/**
 * Calls on a disabled or already-confirmed user are not counted: they test no code, and counting
 * them would let concurrent duplicates of a successful call turn into LimitExceeded.
 */
export function judgeConfirmation(inputs: ConfirmInputs, state: ConfirmState): ConfirmJudgement {
  const { user, code, attemptsInWindow } = state;
  if (!user.enabled) return refuse('disabled', false);
  if (user.status !== 'UNCONFIRMED') return refuse('status', false);
  // Counted before the code is compared: once over the limit even the right code is refused.
  if (attemptsInWindow >= inputs.limit) return refuse('limited', false);
  if (!code || code.expiresAt <= inputs.now) return refuse('expired', true);
  if (!inputs.codeMatches(state)) return refuse('mismatch', true);
  const verify = code.deliveredTo;
  const verified = { ...user.attributes, ...(verify ? { [`${verify}_verified`]: 'true' } : {}) };
  // A success is not recorded: the user is then CONFIRMED, and every later call is refused on its
  // status before the count is looked at, so the row would only cost a write on the hot path.
  return { kind: 'confirm', countAttempt: false, verify, aliases: activatedAliases(inputs.pool, verified) };
}

/** AdminConfirmSignUp: no code, nothing newly verified (spec §5.9), so only already-verified aliases activate. */
export function judgeAdminConfirmation(pool: PoolView, state: ConfirmState): ConfirmJudgement {
  if (state.user.status !== 'UNCONFIRMED') return refuse('status', false);
  return { kind: 'confirm', countAttempt: false, verify: null, aliases: activatedAliases(pool, state.user.attributes) };
}

/** Email and phone aliases are active only once verified; preferred_username once set (spec §5.2). */
export function activatedAliases(pool: PoolView, attributes: Readonly<Record<string, string>>): AliasClaim[] {
  const claims: AliasClaim[] = [];
  for (const attribute of pool.aliasAttributes) {
    const value = attributes[attribute];
    if (!value) continue;
    if (attribute !== 'preferred_username' && attributes[`${attribute}_verified`] !== 'true') continue;
    claims.push({ attribute, valueKey: aliasKey(pool, attribute, value) });
  }
  return claims;
}
