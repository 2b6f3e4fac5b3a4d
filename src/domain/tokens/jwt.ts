/** @module RS256 JWTs as AWS issues them (spec §10.2) and the shared access-token check of spec §11, signed and verified with jose. */
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { ADMIN_SCOPE, type AccessTokenClaims } from './claims.ts';
import type { SigningKey } from './signing-keys.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The header is exactly `{"kid":"…","alg":"RS256"}`: AWS's captures carry no `typ`, and jose
 * serialises the object we hand it in insertion order, so the bytes are fixed here.
 */
export async function signJwt(claims: object, key: Pick<SigningKey, 'kid' | 'privateKey'>): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ kid: key.kid, alg: 'RS256' })
    .sign(key.privateKey);
}

/** A key this server holds, and the issuer(s) whose tokens it may vouch for. */
export interface TrustedKey {
  key: Pick<SigningKey, 'publicKey'>;
  /** More than one while a server moves between issuer modes and old tokens are still live. */
  issuer: string | readonly string[];
}

/**
 * Finds a key by `kid` across every pool the server holds: GetUser and its kin carry only the
 * token, so the key (not a request member) is what ties a token to its pool and issuer.
 */
export type KeyLookup = (kid: string) => TrustedKey | undefined | Promise<TrustedKey | undefined>;

/**
 * `scope`: a sound token of ours that lacks the scope the caller needs, such as an OAuth token
 * without `aws.cognito.signin.user.admin` or a client_credentials token at GetUser (OML §10).
 */
export type AccessTokenRefusal = 'invalid' | 'expired' | 'scope';

export type AccessTokenCheck =
  | { ok: true; claims: AccessTokenClaims; kid: string }
  | { ok: false; reason: AccessTokenRefusal };

/**
 * The wire errors for each refusal (spec §11; none of these texts ends with a period). `revoked`
 * is decided by the store, after this module's check succeeds, and is listed so the three stay
 * together until the error catalogue takes them over.
 */
export const ACCESS_TOKEN_ERRORS = {
  invalid: { type: 'NotAuthorizedException', message: 'Invalid Access Token' },
  expired: { type: 'NotAuthorizedException', message: 'Access Token has expired' },
  scope: { type: 'NotAuthorizedException', message: 'Access Token does not have required scopes' },
  revoked: { type: 'NotAuthorizedException', message: 'Access Token has been revoked' },
} as const satisfies Record<AccessTokenRefusal | 'revoked', { type: string; message: string }>;

/** Ours are ~1 kB; anything far larger is refused before any parsing or crypto is spent on it. */
const MAX_TOKEN_LENGTH = 16_384;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u;

const INVALID: AccessTokenCheck = { ok: false, reason: 'invalid' };
const EXPIRED: AccessTokenCheck = { ok: false, reason: 'expired' };
const SCOPE: AccessTokenCheck = { ok: false, reason: 'scope' };

function readHeader(token: string): { kid: string } | null {
  try {
    const header = decodeProtectedHeader(token);
    return header.alg === 'RS256' && typeof header.kid === 'string' ? { kid: header.kid } : null;
  } catch {
    return null;
  }
}

/** What every access token of ours carries, client_credentials ones (which name no user) included. */
function isAccessToken(value: unknown): value is { token_use: 'access'; iss: string; exp: number; scope: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const c = value as Record<string, unknown>;
  return c.token_use === 'access' && typeof c.iss === 'string' && typeof c.exp === 'number' && typeof c.scope === 'string';
}

function isAccessClaims(value: unknown): value is AccessTokenClaims {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.sub === 'string' && typeof c.iss === 'string' && typeof c.client_id === 'string' && typeof c.username === 'string' &&
    typeof c.jti === 'string' && typeof c.origin_jti === 'string' && typeof c.event_id === 'string' && typeof c.scope === 'string' &&
    typeof c.exp === 'number' && typeof c.iat === 'number' && typeof c.auth_time === 'number'
  );
}

/**
 * Signature first, then what the claims say. Every way a token can be wrong (malformed, unknown
 * kid, bad signature, an ID token, another issuer) is one reason, `invalid`, so the answer tells
 * a prober nothing about which check failed; an expired token that is otherwise sound is
 * `expired` (`exp <= now`, no grace), and a sound unexpired token without `requiredScope` is
 * `scope`. `now` is epoch milliseconds, as the Clock reports it.
 *
 * A failing `lookupKey` (say, a store outage) rejects instead of answering `invalid`: an outage
 * must not look like the client's fault.
 */
export async function verifyAccessToken(token: string, lookupKey: KeyLookup, now: number, requiredScope: string = ADMIN_SCOPE): Promise<AccessTokenCheck> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return INVALID;
  const header = readHeader(token);
  if (!header) return INVALID;
  const trusted = await lookupKey(header.kid);
  if (!trusted) return INVALID;

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, trusted.key.publicKey, { algorithms: ['RS256'] }));
  } catch {
    return INVALID;
  }

  let claims: unknown;
  try {
    claims = JSON.parse(decoder.decode(payload));
  } catch {
    return INVALID;
  }
  if (!isAccessToken(claims)) return INVALID;
  const issuers: readonly string[] = typeof trusted.issuer === 'string' ? [trusted.issuer] : trusted.issuer;
  if (!issuers.includes(claims.iss)) return INVALID;
  if (claims.exp * 1000 <= now) return EXPIRED;
  if (!claims.scope.split(' ').includes(requiredScope)) return SCOPE;
  if (!isAccessClaims(claims)) return INVALID;
  return { ok: true, claims, kid: header.kid };
}
