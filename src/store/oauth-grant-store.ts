/**
 * @module The OAuth grants aggregate's contract (OML §4.3, §9): authorization codes and the hosted
 * UI's browser sessions. Both are kept only as keyed digests of what the browser holds, and both
 * go with their user by foreign key (migration 008). A code is redeemed by one update that can
 * succeed once, so concurrent redemptions on any number of instances have exactly one winner.
 */

/** A code as issued by /oauth2/authorize or a hosted page, bound to what the token request must match. */
export interface AuthorizationCodeRecord {
  digest: string;
  poolId: string;
  clientId: string;
  usernameKey: string;
  redirectUri: string;
  /** The granted scopes, in grant order. */
  scopes: string[];
  /** BASE64URL(SHA-256(verifier)) when the request used PKCE (S256 is the only method). */
  codeChallenge: string | null;
  nonce: string | null;
  /** Epoch ms of the authentication behind the code (the browser session's, when reused). */
  authTime: number;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export type CodeRedemption =
  | { kind: 'redeemed'; code: AuthorizationCodeRecord }
  /** Never issued here, of another pool, or gone with its user or by the prune. */
  | { kind: 'unknown' }
  | { kind: 'expired' }
  /** Redeemed before (by this caller or a concurrent one). */
  | { kind: 'used' };

/** The `cognito` cookie's session: one sign-in on the hosted pages, valid for every client of the pool. */
export interface BrowserSessionRecord {
  digest: string;
  poolId: string;
  usernameKey: string;
  /** Epoch ms of the sign-in; tokens granted from the session carry it as `auth_time`. */
  authTime: number;
  createdAt: number;
  expiresAt: number;
  endedAt: number | null;
}

/**
 * How long past its expiry a code or session row is kept: a late second redemption is told
 * "used" (and so `invalid_grant` for the right reason) rather than "unknown", and the tables stay small.
 */
export const GRANT_RETENTION_MS = 60 * 60_000;

/** The family a redeemed code starts: its refresh tokens' origin_jti and when the last of them expires. */
export interface GrantFamily {
  originJti: string;
  expiresAt: number;
}

export interface OAuthGrantStore {
  /** Stores a new code and prunes a few rows past retention; false when the user is gone. */
  issueAuthorizationCode(code: AuthorizationCodeRecord): Promise<boolean>;
  /**
   * Marks the code used if it is this pool's, unused and unexpired at `now`, and returns it; else
   * says why not. One winner among concurrent callers, whatever the backend. With `family`, the
   * winner also records the code's scopes for that token family in the same transaction.
   */
  redeemAuthorizationCode(poolId: string, digest: string, now: number, family?: GrantFamily): Promise<CodeRedemption>;
  /** The scopes granted to a token family by its code; undefined for a family API sign-in started. */
  grantedScopes(poolId: string, originJti: string): Promise<string[] | undefined>;
  /** Stores a new browser session and prunes a few rows past retention; false when the user is gone. */
  startBrowserSession(session: BrowserSessionRecord): Promise<boolean>;
  /** The pool's session of that digest if it is live at `now` (not ended, not expired). */
  browserSession(poolId: string, digest: string, now: number): Promise<BrowserSessionRecord | undefined>;
  /** Ends the session (a /logout); false when there was no live one. */
  endBrowserSession(poolId: string, digest: string, now: number): Promise<boolean>;
  /**
   * The user's browser-session rows still kept (live, ended or expired within GRANT_RETENTION_MS),
   * newest first, at most `limit`: the admin console's view of where a user is signed in.
   */
  browserSessionsOfUser(poolId: string, usernameKey: string, limit: number): Promise<BrowserSessionRecord[]>;
}

type Row = Record<string, unknown>;

const nullableNumber = (value: unknown) => (value == null ? null : Number(value));
const nullableString = (value: unknown) => (value == null ? null : String(value));

/** One mapping for both backends (PostgreSQL returns BIGINT as text). */
export function codeFromRow(row: Row): AuthorizationCodeRecord {
  return {
    digest: String(row.digest),
    poolId: String(row.pool_id),
    clientId: String(row.client_id),
    usernameKey: String(row.username_key),
    redirectUri: String(row.redirect_uri),
    scopes: JSON.parse(String(row.scopes)) as string[],
    codeChallenge: nullableString(row.code_challenge),
    nonce: nullableString(row.nonce),
    authTime: Number(row.auth_time),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: nullableNumber(row.used_at),
  };
}

export function codeValues(c: AuthorizationCodeRecord): unknown[] {
  return [c.digest, c.poolId, c.clientId, c.usernameKey, c.redirectUri, JSON.stringify(c.scopes), c.codeChallenge, c.nonce, c.authTime, c.createdAt, c.expiresAt, c.usedAt];
}

export function browserSessionFromRow(row: Row): BrowserSessionRecord {
  return {
    digest: String(row.digest),
    poolId: String(row.pool_id),
    usernameKey: String(row.username_key),
    authTime: Number(row.auth_time),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    endedAt: nullableNumber(row.ended_at),
  };
}

export function browserSessionValues(s: BrowserSessionRecord): unknown[] {
  return [s.digest, s.poolId, s.usernameKey, s.authTime, s.createdAt, s.expiresAt, s.endedAt];
}

/** Why a redemption that changed nothing failed, from the row as it stands (or its absence). */
export function whyNotRedeemed(row: Row | undefined, poolId: string, now: number): Exclude<CodeRedemption, { kind: 'redeemed' }> {
  if (!row || String(row.pool_id) !== poolId) return { kind: 'unknown' };
  if (row.used_at != null) return { kind: 'used' };
  return Number(row.expires_at) <= now ? { kind: 'expired' } : { kind: 'used' };
}
