/** @module Confirmation codes (spec §5.5): six CSPRNG digits, kept only as a keyed HMAC, valid 24 hours. */
import { randomUUID } from 'node:crypto';
import { newConfirmationCode } from '../util/ids.ts';
import type { SecretBox } from '../util/secret-box.ts';
import type { CodeRecord } from './records.ts';

export const CODE_VALIDITY_MS = 24 * 60 * 60 * 1000;
const PURPOSE = 'signup-code';

/** The digest binds the code to its pool and user, so a code can never be replayed against someone else. */
function codeSubject(poolId: string, usernameKey: string, code: string): string {
  return `${poolId}\0${usernameKey}\0${code}`;
}

export function issueCode(
  box: SecretBox,
  poolId: string,
  usernameKey: string,
  deliveredTo: CodeRecord['deliveredTo'],
  now: number,
): { code: string; record: CodeRecord } {
  const code = newConfirmationCode();
  return {
    code,
    record: { digest: box.mac(PURPOSE, codeSubject(poolId, usernameKey, code)), deliveredTo, expiresAt: now + CODE_VALIDITY_MS, createdAt: now },
  };
}

export function codeMatches(box: SecretBox, poolId: string, usernameKey: string, candidate: string, record: CodeRecord): boolean {
  return box.macMatches(PURPOSE, codeSubject(poolId, usernameKey, candidate), record.digest);
}

const standInDigests = new WeakMap<SecretBox, string>();

/**
 * A code for a user who does not exist: checking a guess against it costs the same HMAC as a real
 * check and can never succeed, since nobody knows the random subject its digest was made from.
 */
export function standInCode(box: SecretBox, now: number): CodeRecord {
  let digest = standInDigests.get(box);
  if (!digest) {
    digest = box.mac(PURPOSE, codeSubject('', '', randomUUID()));
    standInDigests.set(box, digest);
  }
  return { digest, deliveredTo: null, expiresAt: now + CODE_VALIDITY_MS, createdAt: now };
}
