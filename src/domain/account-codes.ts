/**
 * @module Codes of the account flows after sign-up: password recovery (sign-in spec §11: six
 * digits, valid one hour) and attribute verification. Like sign-up codes they come from a CSPRNG
 * and are kept only as a keyed HMAC bound to pool, user and purpose, so a code sent for one flow
 * can never be redeemed in another.
 */
import { randomUUID } from 'node:crypto';
import { newConfirmationCode } from '../util/ids.ts';
import type { SecretBox } from '../util/secret-box.ts';
import type { CodeRecord } from './records.ts';

/** What a code is for; also its row's key beside pool and user, so each purpose has one live code. */
export type AccountCodePurpose = 'forgot_password' | 'verify_email' | 'verify_phone_number';

export const RECOVERY_CODE_VALIDITY_MS = 60 * 60 * 1000;
/** Attribute verification codes live as long as sign-up codes (confirm spec §5.5, I). */
export const VERIFICATION_CODE_VALIDITY_MS = 24 * 60 * 60 * 1000;

export interface AccountCodeRecord extends CodeRecord {
  purpose: AccountCodePurpose;
}

const MAC_PURPOSE = 'account-code';

function codeSubject(poolId: string, usernameKey: string, purpose: AccountCodePurpose, code: string): string {
  return `${poolId}\0${usernameKey}\0${purpose}\0${code}`;
}

export function validityOf(purpose: AccountCodePurpose): number {
  return purpose === 'forgot_password' ? RECOVERY_CODE_VALIDITY_MS : VERIFICATION_CODE_VALIDITY_MS;
}

export function issueAccountCode(
  box: SecretBox,
  poolId: string,
  usernameKey: string,
  purpose: AccountCodePurpose,
  deliveredTo: CodeRecord['deliveredTo'],
  now: number,
): { code: string; record: AccountCodeRecord } {
  const code = newConfirmationCode();
  const digest = box.mac(MAC_PURPOSE, codeSubject(poolId, usernameKey, purpose, code));
  return { code, record: { purpose, digest, deliveredTo, expiresAt: now + validityOf(purpose), createdAt: now } };
}

export function accountCodeMatches(box: SecretBox, poolId: string, usernameKey: string, candidate: string, record: AccountCodeRecord): boolean {
  return box.macMatches(MAC_PURPOSE, codeSubject(poolId, usernameKey, record.purpose, candidate), record.digest);
}

const standIns = new WeakMap<SecretBox, string>();

/** A code nobody can know, so an unknown user's guess costs the same HMAC as a real check and never succeeds. */
export function standInAccountCode(box: SecretBox, purpose: AccountCodePurpose, now: number): AccountCodeRecord {
  let digest = standIns.get(box);
  if (!digest) standIns.set(box, (digest = box.mac(MAC_PURPOSE, codeSubject('', '', purpose, randomUUID()))));
  return { purpose, digest, deliveredTo: null, expiresAt: now + validityOf(purpose), createdAt: now };
}
