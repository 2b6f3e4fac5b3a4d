/**
 * @module The decisions of the recovery flows, pure functions of what the store read under the
 * user's lock: who may be sent a code, and whether a submitted code resets the password.
 */
import type { AccountCodeRecord } from '../../../domain/account-codes.ts';
import type { UserRecord } from '../../../domain/records.ts';
import type { IssueJudgement, RedeemJudgement, RedeemState } from '../../../store/account-store.ts';

const HOUR_MS = 60 * 60 * 1000;
export const RECOVERY_WINDOW_MS = HOUR_MS;
/** ForgotPassword and AdminResetUserPassword calls per user and hour (ours, like ResendConfirmationCode's 5). */
export const ISSUE_LIMIT = 5;
/** Code checks per user and hour: LimitExceeded after about five wrong codes (confirm spec I-ui180). */
export const REDEEM_LIMIT = 5;

/**
 * A user with a temporary password must sign in with it instead, and a federated user has no
 * password here (sign-in spec §11; R for FORCE_CHANGE_PASSWORD). An unconfirmed user confirms
 * with ConfirmSignUp first (ours).
 */
const NOT_RESETTABLE = new Set<UserRecord['status']>(['FORCE_CHANGE_PASSWORD', 'EXTERNAL_PROVIDER', 'UNCONFIRMED']);

export function judgeIssue(user: UserRecord, options: { admin: boolean }): IssueJudgement {
  if (!user.enabled && !options.admin) return { kind: 'refuse', reason: 'disabled' };
  if (NOT_RESETTABLE.has(user.status)) return { kind: 'refuse', reason: 'status' };
  return { kind: 'issue' };
}

export interface RedeemInputs {
  now: number;
  /** Compares the submitted code with the stored digest in constant time. */
  matches: (code: AccountCodeRecord) => boolean;
  /** The new password is one of the user's last PasswordHistorySize ones (checked before the transaction). */
  reused?: boolean;
}

const refuse = (reason: string, countAttempt: boolean): RedeemJudgement => ({ kind: 'refuse', reason, countAttempt });

/**
 * Only calls that compare a live code are counted: one that finds no code tests nothing, and
 * counting it would turn the losers of a race for one code into LimitExceeded.
 */
export function judgeRedemption(inputs: RedeemInputs, state: RedeemState): RedeemJudgement {
  const { user, code, attemptsInWindow } = state;
  // Counted before the code is compared: once over the limit even the right code is refused.
  if (attemptsInWindow >= REDEEM_LIMIT) return refuse('limited', false);
  // Counted like a wrong code, which is what it looks like when existence errors are prevented.
  if (!user.enabled) return refuse('disabled', true);
  if (!code || code.expiresAt <= inputs.now) return refuse('expired', false);
  if (!inputs.matches(code)) return refuse('mismatch', true);
  // Only a caller holding the right code learns that the password was used before; the code stays
  // live for another try.
  if (inputs.reused) return refuse('reused', true);
  return { kind: 'reset', countAttempt: true };
}
