/** @module Opaque refresh tokens shaped like AWS's JWE (spec §10.5), kept server-side only as a keyed digest, and the client's refresh rules (spec §5.3, §10.6–10.7). */
import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../../util/secret-box.ts';

/** base64url of `{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}`; `alg` is inferred (spec §15). */
export const REFRESH_TOKEN_HEADER = Buffer.from('{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}').toString('base64url');

/**
 * Segment sizes of an RSA-OAEP / A256GCM JWE (spec §10.5): a 256-byte wrapped key, 12-byte IV and
 * 16-byte tag. The "ciphertext" size is our choice inside the observed 1–2 kB; nothing is
 * encrypted, the segments are random, so no server data can ever be decoded from a token.
 */
const KEY_BYTES = 256;
const IV_BYTES = 12;
const CIPHERTEXT_BYTES = 1152;
const TAG_BYTES = 16;

const b64urlLength = (bytes: number) => Math.ceil((bytes * 4) / 3);
const KEY_CHARS = b64urlLength(KEY_BYTES);
const IV_CHARS = b64urlLength(IV_BYTES);
const TAG_CHARS = b64urlLength(TAG_BYTES);
/** Leaves room for a future change of ciphertext size without refusing tokens already issued. */
const MAX_CIPHERTEXT_CHARS = 4096;
const SEGMENT = /^[A-Za-z0-9_-]+$/u;

export function newRefreshToken(): string {
  return [
    REFRESH_TOKEN_HEADER,
    randomBytes(KEY_BYTES).toString('base64url'),
    randomBytes(IV_BYTES).toString('base64url'),
    randomBytes(CIPHERTEXT_BYTES).toString('base64url'),
    randomBytes(TAG_BYTES).toString('base64url'),
  ].join('.');
}

/**
 * A cheap syntactic check so garbage never costs an HMAC and a store round trip. Anything this
 * server issued passes; passing proves nothing about validity.
 */
export function looksLikeRefreshToken(text: unknown): text is string {
  if (typeof text !== 'string' || text.length > 8192) return false;
  const parts = text.split('.');
  if (parts.length !== 5) return false;
  const [header, key, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  return (
    header === REFRESH_TOKEN_HEADER &&
    key.length === KEY_CHARS && SEGMENT.test(key) &&
    iv.length === IV_CHARS && SEGMENT.test(iv) &&
    ciphertext.length > 0 && ciphertext.length <= MAX_CIPHERTEXT_CHARS && SEGMENT.test(ciphertext) &&
    tag.length === TAG_CHARS && SEGMENT.test(tag)
  );
}

export const REFRESH_TOKEN_MAC_PURPOSE = 'refresh-token';

/** What the store keeps and looks up by: a stolen database holds no usable refresh token. */
export function refreshTokenDigest(box: SecretBox, token: string): string {
  return box.mac(REFRESH_TOKEN_MAC_PURPOSE, token);
}

/** The refresh-related client settings, with the model's defaults for members left out. */
export interface RefreshPolicy {
  /** RevokeToken is allowed; the model makes it true for new clients that omit the member. */
  revocationEnabled: boolean;
  /** GetTokensFromRefreshToken issues a new refresh token and retires the submitted one. */
  rotation: boolean;
  /** How long a rotated-out token still works, so a client can retry a lost response (0–60). */
  retryGraceSeconds: number;
}

export function refreshPolicy(clientSettings: Record<string, unknown>): RefreshPolicy {
  const s = clientSettings as {
    EnableTokenRevocation?: boolean;
    RefreshTokenRotation?: { Feature?: string; RetryGracePeriodSeconds?: number };
  };
  const rotation = s.RefreshTokenRotation?.Feature === 'ENABLED';
  return {
    revocationEnabled: s.EnableTokenRevocation !== false,
    rotation,
    retryGraceSeconds: rotation ? (s.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0) : 0,
  };
}
