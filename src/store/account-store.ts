/**
 * @module The account aggregate's contract: password recovery codes and the password operations
 * around them (ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword, AdminSetUserPassword,
 * ChangePassword). Each intent is one transaction that locks the user; the counted ones let a
 * judge supplied by the caller decide on what they read and apply the decision in the same
 * transaction. A new password always replaces the argon2id hash and the SRP verifier together and
 * clears the sign-in lockout, and with a history guard records it in the password history.
 */
import type { AccountCodeRecord } from '../domain/account-codes.ts';
import type { AliasClaim, OutboxMessage, UserRecord } from '../domain/records.ts';
import type { SrpVerifier } from './sign-in-store.ts';

/** The `attempts` action under which each intent counts its calls for the sliding window. */
export const RECOVERY_ISSUE_ACTION = 'forgot_password';
export const RECOVERY_REDEEM_ACTION = 'confirm_forgot_password';

/** A password as it is stored: the hash for the password flows, the verifier for SRP. */
export interface StoredPassword {
  passwordHash: string;
  srp: SrpVerifier;
}

/**
 * The hashes a proposed password was compared with before the transaction (argon2id is too slow to
 * run under the lock): the current one, then the kept ones newest first.
 */
export interface PasswordHistory {
  current: string | null;
  kept: string[];
}

/** What a password write does with the history (PasswordHistorySize). */
export interface HistoryGuard {
  /** How many hashes to keep, the new one included; 0 keeps none and drops what was kept. */
  size: number;
  /**
   * The history the proposal was checked against. When the stored one differs under the lock (a
   * concurrent change), nothing is applied and the caller checks again.
   */
  seen: PasswordHistory;
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
  history?: HistoryGuard;
}

export type RedeemRecoveryResult =
  | { kind: 'not-found' }
  /** The history changed since it was checked; nothing was counted or applied. */
  | { kind: 'history-changed' }
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
  history?: HistoryGuard;
  /**
   * AdminSetUserPassword with a permanent password: when the locked user is still UNCONFIRMED, it is
   * confirmed as ConfirmSignUp confirms, so these aliases become active; one held by another user
   * refuses the whole write.
   */
  confirmAliases?: AliasClaim[];
}

export type ReplaceResult =
  | { kind: 'not-found' }
  | { kind: 'changed-meanwhile' }
  | { kind: 'history-changed' }
  | { kind: 'alias-exists'; attribute: string }
  | { kind: 'replaced'; user: UserRecord };

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
  /** The user's current hash and kept ones, read without a lock for the checks before a write. */
  passwordHistory(poolId: string, usernameKey: string): Promise<PasswordHistory | undefined>;
}

/** Whether the history read under the lock is the one the proposal was checked against. */
export function sameHistory(a: PasswordHistory, b: PasswordHistory): boolean {
  return a.current === b.current && a.kept.length === b.kept.length && a.kept.every((hash, i) => hash === b.kept[i]);
}

/**
 * The rows a write leaves: the outgoing hash first kept if it is not the newest already (a password
 * set by SignUp or AdminCreateUser has no row), then the new one, then all but the newest `size`.
 */
export function historyAfter(size: number, outgoing: string | null, kept: readonly string[], incoming: string): { insert: string[]; keep: number } {
  if (size <= 0) return { insert: [], keep: 0 };
  const insert = outgoing !== null && kept[0] !== outgoing ? [outgoing, incoming] : [incoming];
  return { insert, keep: size };
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
