/**
 * @module How tokens from the OAuth endpoints differ from API sign-in's (OML §10): the granted
 * scopes and `version` in the access token, `at_hash` and `nonce` in the ID token, the attributes
 * the `email`/`phone`/`profile` scopes let through (shared with userInfo, OML §7), and the
 * client_credentials access token (OML §10.1).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AccessTokenClaims, IdTokenClaims } from './claims.ts';

/** OAuth-issued access tokens carry `"version": 2` (OML §13, I). */
export const OAUTH_TOKEN_VERSION = 2;

/** The attributes each OIDC scope lets through (OML §7, DOC-UI); `profile` adds every `custom:` one too. */
const SCOPE_ATTRIBUTES: Record<'email' | 'phone' | 'profile', readonly string[]> = {
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  profile: [
    'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
    'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
  ],
};

/**
 * The user's attributes the scopes and the client's ReadAttributes allow. `openid` without any of
 * `email`, `phone`, `profile` lets through everything readable; with some of them, only their
 * attributes (OML §10 choice, I). ReadAttributes always limits (absent or empty: all readable).
 */
export function attributesForScopes(attributes: Readonly<Record<string, string>>, scopes: readonly string[], readable: readonly string[] | null): Record<string, string> {
  const groups = (['email', 'phone', 'profile'] as const).filter((scope) => scopes.includes(scope));
  const allowedByClient = readable === null || readable.length === 0 ? () => true : (name: string) => readable.includes(name);
  const allowedByScope = (name: string) =>
    groups.length === 0 || groups.some((scope) => SCOPE_ATTRIBUTES[scope].includes(name) || (scope === 'profile' && name.startsWith('custom:')));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'sub' || (allowedByClient(name) && allowedByScope(name))) out[name] = value;
  }
  return out;
}

/**
 * DG23: the token endpoint answers `invalid_grant` when the `email` (`phone`) scope is granted to
 * a client that may read `email` (`phone_number`) but not its verified flag.
 */
export function scopesUnreadable(scopes: readonly string[], readable: readonly string[] | null): boolean {
  if (readable === null || readable.length === 0) return false;
  const half = (value: string, flag: string) => readable.includes(value) && !readable.includes(flag);
  return (scopes.includes('email') && half('email', 'email_verified')) || (scopes.includes('phone') && half('phone_number', 'phone_number_verified'));
}

/** The access token of a code or implicit grant: API sign-in's claims, the granted scopes, and `version` after `iss`. */
export function oauthAccessClaims(base: AccessTokenClaims, scopes: readonly string[]): AccessTokenClaims & { version: number } {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(base)) {
    out[name] = name === 'scope' ? scopes.join(' ') : value;
    if (name === 'iss') out.version = OAUTH_TOKEN_VERSION;
  }
  return out as unknown as AccessTokenClaims & { version: number };
}

/** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 over the access token's ASCII bytes. */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

/** The ID token of a code or implicit grant: `at_hash` first (as in the hosted-UI capture R-IDT), `nonce` after `aud` when one was sent. */
export function oauthIdClaims(base: IdTokenClaims, input: { accessToken: string; nonce?: string | null }): IdTokenClaims {
  const out: Record<string, unknown> = { at_hash: atHash(input.accessToken) };
  for (const [name, value] of Object.entries(base)) {
    out[name] = value;
    if (name === 'aud' && input.nonce) out.nonce = input.nonce;
  }
  return out as IdTokenClaims;
}

/**
 * A client_credentials access token (OML §10.1): the client is its own subject, the granted custom
 * scopes its only scopes; no user, groups or family. Members in the order of AWS's machine tokens.
 */
export function clientCredentialsClaims(input: { issuer: string; clientId: string; scopes: readonly string[]; now: number; validitySeconds: number }) {
  const iat = Math.floor(input.now / 1000);
  return {
    sub: input.clientId,
    token_use: 'access',
    scope: input.scopes.join(' '),
    auth_time: iat,
    iss: input.issuer,
    exp: iat + input.validitySeconds,
    iat,
    version: OAUTH_TOKEN_VERSION,
    jti: randomUUID(),
    client_id: input.clientId,
  };
}
