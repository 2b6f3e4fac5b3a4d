/**
 * @module The VerifyUserAttribute decision, a pure function of the locked user, the live code and
 * the attempts counted in the window, in ConfirmSignUp's order: the limit before the code is
 * looked at, then a missing or expired code, then the constant-time comparison.
 */
import type { AccountCodeRecord } from '../../../domain/account-codes.ts';
import type { PoolView } from '../../../domain/pool-view.ts';
import type { VerifyJudgement, VerifyState } from '../../../store/attribute-store.ts';
import { planVerification, type Verifiable } from './plan.ts';

export type VerifyRefusal = 'limited' | 'expired' | 'mismatch' | 'no-value';

export interface VerifyInputs {
  pool: PoolView;
  attribute: Verifiable;
  limit: number;
  now: number;
  /** Compares the submitted code against the stored digest in constant time. */
  codeMatches: (code: AccountCodeRecord) => boolean;
}

const refuse = (reason: VerifyRefusal, countAttempt: boolean): VerifyJudgement => ({ kind: 'refuse', reason, countAttempt });

export function judgeAttributeVerification(inputs: VerifyInputs, state: VerifyState): VerifyJudgement {
  // Counted before the code is compared: once over the limit even the right code is refused.
  if (state.attemptsInWindow >= inputs.limit) return refuse('limited', false);
  // A consumed code is gone, so a second redemption of a right code lands here (ExpiredCode, as Cognito answers).
  if (!state.code || state.code.expiresAt <= inputs.now) return refuse('expired', true);
  if (!inputs.codeMatches(state.code)) return refuse('mismatch', true);
  const write = planVerification(state.user, inputs.attribute, inputs.pool);
  if (!write) return refuse('no-value', true);
  return { kind: 'verify', ...write };
}
