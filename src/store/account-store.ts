/**
 * @module The account aggregate's contract: password recovery codes and the password operations
 * around them (ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword, AdminSetUserPassword,
 * ChangePassword). Each intent is one transaction that locks the user; the counted ones let a
 * judge supplied by the caller decide on what they read and apply the decision in the same
 * transaction. A new password always replaces the argon2id hash and the SRP verifier together and
 * clears the sign-in lockout.
 */
import type { AccountCodeRecord } from '../domain/account-codes.ts';
import type { OutboxMessage, UserRecord } from '../domain/records.ts';
import type { SrpVerifier } from './sign-in-store.ts';

/** The `attempts` action under which each intent counts its calls for the sliding window. */
export const RECOVERY_ISSUE_ACTION = 'forgot_password';
export const RECOVERY_REDEEM_ACTION = 'confirm_forgot_password';

/** A password as it is stored: the hash for the password flows, the verifier for SRP. */
export interface StoredPassword {
  passwordHash: string;
  srp: SrpVerifier;
}

/** `count`: count the call against the limit and store nothing (a delivery that is only simulated). */
export type IssueJudgement = { kind: 'refuse'; reason: string } | { kind: 'issue' } | { kind: 'count' };

export interface IssueRecoveryRequest {
  poolId: string;
  usernameKey: string;
  now: number;
  windowStart: number;
  /** Calls allowed in the window (this one included); the next is `limited`. */
  limit: number;
  /** Runs under the lock, before the limit; a refusal changes nothing and counts nothing. */
  judge: (user: UserRecord) => IssueJudgement;
  /** Replaces the user's outstanding recovery code, if any. */
  code: AccountCodeRecord;
  /** Queued with the code: a code is sent only if it was stored. */
  messages: OutboxMessage[];
  /** AdminResetUserPassword: the user must reset before signing in again. */
  requireReset: boolean;
  /**
   * When no user has this key, count the call under it anyway and answer `not-found` (or
   * `limited`): an unknown name meets the same limit as a known one, and nothing is stored for it.
   */
  countUnknown: boolean;
}

export type IssueRecoveryResult =
  | { kind: 'not-found' }
  | { kind: 'limited' }
  | { kind: 'refused'; reason: string; user: UserRecord }
  | { kind: 'counted' }
  | { kind: 'issued'; user: UserRecord };

export interface RedeemState {
  user: UserRecord;
  code: AccountCodeRecord | undefined;
  /** Counted code checks since the request's `windowStart`. */
  attemptsInWindow: number;
}

/** `countAttempt` says whether this call compared a code and so counts toward the limit. */
export type RedeemJudgement = { kind: 'refuse'; reason: string; countAttempt: boolean } | { kind: 'reset'; countAttempt: boolean };

export interface RedeemRecoveryRequest {
  poolId: string;
  usernameKey: string;
  now: number;
  windowStart: number;
  judge: (state: RedeemState) => RedeemJudgement;
  /** The new password, hashed before the transaction: argon2id must not run under the lock. */
  password: StoredPassword;
  /**
   * When no user has this key, judge this stand-in and count its attempts under the key, so an
   * unknown name costs the same work and meets the same limit; never a reset.
   */
  standIn?: { user: UserRecord; code: AccountCodeRecord };
}

export type RedeemRecoveryResult =
  | { kind: 'not-found' }
  | { kind: 'refused'; reason: string; user: UserRecord }
  /** The password is replaced, the code consumed, the status CONFIRMED and the lockout cleared. */
  | { kind: 'reset'; user: UserRecord };

export interface PasswordReplacement {
  poolId: string;
  usernameKey: string;
  now: number;
  password: StoredPassword;
  /** The status the user takes; unchanged when absent. */
  status?: UserRecord['status'];
  /**
   * ChangePassword: the hash the previous password was checked against. When the stored hash is
   * another by now (a concurrent change), nothing is applied: the proof was for a password gone.
   */
  expectedHash?: string | null;
}

export type ReplaceResult = { kind: 'not-found' } | { kind: 'changed-meanwhile' } | { kind: 'replaced'; user: UserRecord };

export interface AccountStore {
  /**
   * ForgotPassword / AdminResetUserPassword: under the user's lock, judges, applies the limit,
   * then counts the call, stores the code in place of the previous one and queues its message; with `requireReset`
   * the status becomes RESET_REQUIRED.
   */
  issueRecoveryCode(request: IssueRecoveryRequest): Promise<IssueRecoveryResult>;
  /**
   * ConfirmForgotPassword: under the user's lock, counts, judges the stored code and, on `reset`,
   * consumes it and writes the new password in the same transaction. Of concurrent redemptions
   * of one code exactly one resets; the others find the code gone.
   */
  redeemRecoveryCode(request: RedeemRecoveryRequest): Promise<RedeemRecoveryResult>;
  /**
   * AdminSetUserPassword / ChangePassword: writes the new password (and status), clears the
   * lockout, and drops an outstanding recovery code, which was for the password now replaced.
   */
  replacePassword(request: PasswordReplacement): Promise<ReplaceResult>;
}

/** A stored recovery or verification code, from either backend's row. */
export function accountCodeFromRow(row: Record<string, unknown>): AccountCodeRecord {
  return {
    purpose: String(row.purpose) as AccountCodeRecord['purpose'],
    digest: String(row.digest),
    deliveredTo: (row.delivered_to ?? null) as AccountCodeRecord['deliveredTo'],
    expiresAt: Number(row.expires_at),
    createdAt: Number(row.created_at),
  };
}
