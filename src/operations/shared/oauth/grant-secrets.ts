/**
 * @module The secrets of the browser flows (OML §4.3, §6.3, §9): authorization codes and browser
 * session ids from node:crypto randomness, kept only as keyed digests, and the PKCE S256 check.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { constantTimeEqual, type SecretBox } from '../../../util/secret-box.ts';

/** A code lives five minutes and is used once (OML §4.3, C). */
export const CODE_LIFETIME_MS = 5 * 60_000;
/** The hosted UI's session lasts an hour (OML §9, C). */
export const BROWSER_SESSION_MS = 60 * 60_000;

/** UUID-shaped, as AWS's codes are (OML §4.3, I): 122 random bits from node:crypto. */
export function newAuthorizationCode(): string {
  return randomUUID();
}

export function authorizationCodeDigest(box: SecretBox, code: string): string {
  return box.mac('authorization-code', code);
}

/** The `cognito` cookie's value: 256 random bits. */
export function newBrowserSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function browserSessionDigest(box: SecretBox, id: string): string {
  return box.mac('browser-session', id);
}

/** S256 output is 32 bytes, so 43 base64url characters without padding. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/u;
/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/u;

export function isCodeChallenge(value: string): boolean {
  return CHALLENGE.test(value);
}

/** BASE64URL-NOPAD(SHA-256(ASCII(verifier))) against the stored challenge, in constant time (OML §6.3). */
export function pkceMatches(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !VERIFIER.test(verifier)) return false;
  return constantTimeEqual(createHash('sha256').update(verifier, 'ascii').digest('base64url'), challenge);
}
