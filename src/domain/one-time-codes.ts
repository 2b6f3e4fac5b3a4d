/**
 * @module Sign-in codes for USER_AUTH's EMAIL_OTP and SMS_OTP (sign-in spec §5.4): eight CSPRNG
 * digits, as AWS's were, kept only as a keyed digest bound to the pool, the user and the session.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { SecretBox } from '../util/secret-box.ts';

const PURPOSE = 'sign-in-code';

/**
 * Wrong answers a session takes before it is spent. AWS kept a session usable after six wrong
 * codes (spec §5.4, R); more than that, unlimited guesses at 10^8 codes would only be bounded by
 * the request rate.
 */
export const SIGN_IN_CODE_ATTEMPTS = 10;

export function newSignInCode(): string {
  return randomInt(100_000_000).toString().padStart(8, '0');
}

/** The session's own random id is in the subject, so a code answers only the session it was sent for. */
function subject(poolId: string, usernameKey: string, sessionNonce: string, code: string): string {
  return `${poolId}\0${usernameKey}\0${sessionNonce}\0${code}`;
}

export interface SignInCodeDigest {
  nonce: string;
  digest: string;
}

export function signInCodeDigest(box: SecretBox, poolId: string, usernameKey: string, code: string): SignInCodeDigest {
  const nonce = randomUUID();
  return { nonce, digest: box.mac(PURPOSE, subject(poolId, usernameKey, nonce, code)) };
}

/** Constant time; a stand-in digest (for users who do not exist) costs the same and never matches. */
export function signInCodeMatches(box: SecretBox, poolId: string, usernameKey: string, candidate: string, stored: SignInCodeDigest): boolean {
  return box.macMatches(PURPOSE, subject(poolId, usernameKey, stored.nonce, candidate), stored.digest);
}

/** What a simulated challenge keeps: a digest of a code nobody was sent. */
export function standInSignInCode(box: SecretBox, poolId: string, usernameKey: string): SignInCodeDigest {
  return signInCodeDigest(box, poolId, usernameKey, randomUUID());
}
