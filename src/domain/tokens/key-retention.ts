/**
 * @module How long a retired signing key stays in a pool's JWKS and keeps verifying tokens: until
 * no token it signed can still be live, and not a moment longer.
 *
 * A retired key is kept for `retiredAt + LONGEST_TOKEN_VALIDITY_MS + signingLagMs`:
 * - LONGEST_TOKEN_VALIDITY_MS is the most an ID or access token can live (the model caps both
 *   validities at one day, spec §10.6), so a token signed the instant before the rotation is
 *   expired by then whatever its client's settings;
 * - `signingLagMs` is how long another instance may go on signing with the key after the rotation
 *   (the age its key cache may reach before it reloads), which moves that last instant later.
 *
 * Refresh tokens are opaque (spec §10.5) and signed by nothing, so they do not extend it.
 */
import { VALIDITY_RANGES } from './validity.ts';

export const LONGEST_TOKEN_VALIDITY_MS = Math.max(VALIDITY_RANGES.access.max, VALIDITY_RANGES.id.max) * 1000;

/** The part of a stored key record the rule reads. */
export interface RetirableKey {
  retiredAt: number | null;
}

/** When a retired key drops out of the JWKS and stops verifying; undefined while it is current. */
export function retentionEnd(key: RetirableKey, signingLagMs: number): number | undefined {
  return key.retiredAt === null ? undefined : key.retiredAt + LONGEST_TOKEN_VALIDITY_MS + signingLagMs;
}

/** Whether the key is listed in the JWKS and accepted on access tokens at `now` (epoch ms). */
export function keyInService(key: RetirableKey, now: number, signingLagMs: number): boolean {
  const end = retentionEnd(key, signingLagMs);
  return end === undefined || now < end;
}

/** The keys to list and accept at `now`, in the order given (the store's is newest first). */
export function keysInService<K extends RetirableKey>(keys: readonly K[], now: number, signingLagMs: number): K[] {
  return keys.filter((key) => keyInService(key, now, signingLagMs));
}
