/**
 * @module The attributes aggregate's contract: changes to a user's attributes, values waiting for
 * verification, and the codes that verify them. Each intent locks the user, lets a judge supplied
 * by the caller decide on what it reads, and applies the decision in the same transaction, so a
 * change planned on a stale read, two racing redemptions or a limit counted twice cannot slip in.
 */
import type { AccountCodePurpose, AccountCodeRecord } from '../domain/account-codes.ts';
import type { AliasClaim, OutboxMessage, UserRecord } from '../domain/records.ts';

/** The purposes of the codes this aggregate issues and redeems. */
export type AttributeCodePurpose = Extract<AccountCodePurpose, 'verify_email' | 'verify_phone_number'>;

/** What the user's attributes become, decided on the locked user. */
export interface AttributeWrite {
  /** The active attributes after the change (what GetUser shows). */
  attributes: Record<string, string>;
  /** Values waiting for verification after the change; empty when none wait. */
  pending: Record<string, string>;
  /** Aliases this user gives up; rows held by someone else are left alone. */
  release: AliasClaim[];
  /** Aliases this user takes; one held by another user refuses the whole change. */
  claim: AliasClaim[];
}

export type ChangeJudgement =
  | { kind: 'refuse'; reason: string }
  | (AttributeWrite & {
      kind: 'apply';
      /** Codes stored with the change, each replacing the live code of its purpose. */
      codes: AccountCodeRecord[];
      /** Live codes that no longer match the value they were sent for. */
      dropCodes: AttributeCodePurpose[];
      messages: OutboxMessage[];
    });

export interface ChangeRequest {
  poolId: string;
  usernameKey: string;
  now: number;
  judge: (user: UserRecord) => ChangeJudgement;
}

export type ChangeResult =
  | { kind: 'not-found' }
  | { kind: 'refused'; reason: string; user: UserRecord }
  | { kind: 'alias-conflict'; attribute: string; user: UserRecord }
  | { kind: 'changed'; user: UserRecord };

export interface IssueRequest {
  poolId: string;
  usernameKey: string;
  now: number;
  /** Sends made since this time count against `limit`. */
  windowStart: number;
  limit: number;
  code: AccountCodeRecord & { purpose: AttributeCodePurpose };
  messages: OutboxMessage[];
  /** Whether the code still fits the locked user: its destination unchanged since the message was written. */
  fits: (user: UserRecord) => boolean;
}

export type IssueResult = { kind: 'not-found' } | { kind: 'stale'; user: UserRecord } | { kind: 'limited' } | { kind: 'issued'; user: UserRecord };

export interface VerifyState {
  user: UserRecord;
  code: AccountCodeRecord | undefined;
  attemptsInWindow: number;
}

export type VerifyJudgement =
  | { kind: 'refuse'; reason: string; countAttempt: boolean }
  | (AttributeWrite & { kind: 'verify' });

export interface VerifyRequest {
  poolId: string;
  usernameKey: string;
  purpose: AttributeCodePurpose;
  now: number;
  /** Redemptions made since this time count against the limit the judge applies. */
  windowStart: number;
  judge: (state: VerifyState) => VerifyJudgement;
}

export type VerifyResult =
  | { kind: 'not-found' }
  | { kind: 'refused'; reason: string; user: UserRecord }
  | { kind: 'alias-conflict'; attribute: string; user: UserRecord }
  | { kind: 'verified'; user: UserRecord };

export interface AttributeStore {
  /** Locks the user, lets `judge` plan the change on what is stored, and applies it with its codes and messages. */
  changeAttributes(request: ChangeRequest): Promise<ChangeResult>;
  /** Replaces the live code of the request's purpose and queues its message, if the send limit allows. */
  issueAttributeCode(request: IssueRequest): Promise<IssueResult>;
  /**
   * Locks the user, counts recent redemptions, reads the live code, lets `judge` decide; a
   * verification consumes the code, so of racing right answers exactly one succeeds.
   */
  verifyAttribute(request: VerifyRequest): Promise<VerifyResult>;
}

/** The attempts-table actions: redemptions and sends are counted apart. */
export const attemptAction = {
  redeem: (purpose: AttributeCodePurpose) => purpose,
  send: (purpose: AttributeCodePurpose) => `send_${purpose}`,
};

/** A stored attribute code as both backends read it back. */
export function attributeCodeFromRow(row: Record<string, unknown> | undefined): AccountCodeRecord | undefined {
  if (!row || row.digest == null) return undefined;
  return {
    purpose: String(row.purpose) as AccountCodePurpose,
    digest: String(row.digest),
    deliveredTo: (row.delivered_to ?? null) as AccountCodeRecord['deliveredTo'],
    expiresAt: Number(row.expires_at),
    createdAt: Number(row.created_at),
  };
}

/** The user as the write leaves it; `pendingAttributes` only while values wait, as the backends read it. */
export function afterWrite(user: UserRecord, write: AttributeWrite, now: number): UserRecord {
  const { pendingAttributes: _, ...rest } = user;
  void _;
  const pending = Object.keys(write.pending).length > 0 ? { pendingAttributes: { ...write.pending } } : {};
  return { ...rest, attributes: { ...write.attributes }, updatedAt: now, ...pending };
}

/** The pending column's value: NULL rather than an empty object, so users without pending values read back alike. */
export function pendingColumn(write: AttributeWrite): string | null {
  return Object.keys(write.pending).length > 0 ? JSON.stringify(write.pending) : null;
}
