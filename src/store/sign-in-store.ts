/**
 * @module The storage contract for sign-in: credentials (password hash and SRP verifier together),
 * lockout counts, challenge sessions, refresh-token families and per-pool signing keys. Every
 * method is one transaction; PostgreSQL instances share all of it, so a sign-in started on one
 * instance completes on another and a lockout or revocation holds cluster-wide.
 */
import type { LockoutState } from '../domain/lockout.ts';
import type { OutboxMessage, SessionRecord, UserRecord } from '../domain/records.ts';

/** SRP salt (hex, as sent in SALT) and the verifier sealed with the master key. */
export interface SrpVerifier {
  salt: string;
  sealedVerifier: string;
}

/** What sign-in keeps about a user beyond the user record itself. */
export interface Credentials {
  /** argon2id hash, for the password flows. */
  passwordHash: string | null;
  /** Null for users whose password predates SRP support or who have none. */
  srp: SrpVerifier | null;
  /** When the current password was set: a temporary one expires TemporaryPasswordValidityDays later. */
  passwordSetAt: number | null;
  lockout: LockoutState;
}

/** A new password for a user, written together so the hash and the verifier can never disagree. */
export interface PasswordChange {
  passwordHash: string;
  srp: SrpVerifier;
  /** The status the user takes: CONFIRMED for a permanent password, FORCE_CHANGE_PASSWORD for a temporary one. */
  status: UserRecord['status'];
  /** Attributes to merge (NEW_PASSWORD_REQUIRED may set some), already validated. */
  attributes?: Record<string, string>;
}

/**
 * A challenge session (or the confirmation session ConfirmSignUp hands out). Only a keyed digest of
 * the session string is kept; the state a later step needs (SRP b and B, the expected user id) is
 * sealed, because it must not be readable from a database dump either.
 */
export interface AuthSessionRecord {
  digest: string;
  poolId: string;
  clientId: string;
  usernameKey: string;
  /**
   * The challenge this session answers: PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, SELECT_CHALLENGE, …,
   * CONFIRMED_SIGN_UP (ConfirmSignUp's, redeemable by USER_AUTH) or SIGN_UP (SignUp's, which is not).
   */
  challenge: string;
  sealedState: string | null;
  createdAt: number;
  expiresAt: number;
}

/**
 * How long past its expiry a session row is kept: long enough that an answer arriving late is told
 * "expired" or "used" rather than "invalid", short enough that the table stays small.
 */
export const SESSION_RETENTION_MS = 60 * 60_000;

/**
 * How long past its expiry a refresh-token row is kept. An access token lives a day at most and is
 * issued before its refresh token expires, so a day later no token of the row's family can still
 * be shown, and the revocation the row records is no longer needed.
 */
export const REFRESH_TOKEN_RETENTION_MS = 24 * 60 * 60_000;

/** The challenges of the sessions SignUp and ConfirmSignUp hand out; only the second signs in (spec §5.5). */
export const SIGN_UP_CHALLENGE = 'SIGN_UP';
export const CONFIRMED_SIGN_UP_CHALLENGE = 'CONFIRMED_SIGN_UP';

/** The session SignUp or ConfirmSignUp hands out, as the auth session it is stored as. */
export function signUpSession(s: SessionRecord, challenge: typeof SIGN_UP_CHALLENGE | typeof CONFIRMED_SIGN_UP_CHALLENGE, createdAt: number): AuthSessionRecord {
  return { digest: s.digest, poolId: s.poolId, clientId: s.clientId, usernameKey: s.usernameKey, challenge, sealedState: null, createdAt, expiresAt: s.expiresAt };
}

export type SessionTake =
  | { kind: 'taken'; session: AuthSessionRecord }
  | { kind: 'unknown' }
  | { kind: 'expired' }
  /** Consumed before: a session answers one step only (sign-in spec §7.6). */
  | { kind: 'used' };

/** A session as it stands, without consuming it (a wrong OTP answer keeps the session, spec §7.6). */
export type SessionPeek = { kind: 'live'; session: AuthSessionRecord } | { kind: 'unknown' } | { kind: 'expired' } | { kind: 'used' };

export type SessionFailure = { kind: 'counted'; failures: number; spent: boolean } | { kind: 'spent' };

/** One refresh token: a family is every token of one sign-in, named by its `origin_jti`. */
export interface RefreshTokenRecord {
  digest: string;
  poolId: string;
  clientId: string;
  usernameKey: string;
  originJti: string;
  authTime: number;
  issuedAt: number;
  expiresAt: number;
  /** When this token, or any token of its family, was revoked: a family is revoked as a whole. */
  revokedAt: number | null;
  /** When GetTokensFromRefreshToken rotated it out (spec §10.7); it keeps working for the client's grace period. */
  rotatedAt: number | null;
}

/** GetTokensFromRefreshToken on a client with rotation enabled: the submitted token for a new one. */
export interface RefreshRotation {
  poolId: string;
  /** Digest of the submitted token. */
  oldDigest: string;
  now: number;
  /** RetryGracePeriodSeconds: how long after its rotation the submitted token may be rotated again. */
  graceMs: number;
  /** The new token, of the submitted one's family; stored only when the result is `rotated` or `retried`. */
  replacement: RefreshTokenRecord;
}

export type RotationResult =
  /** First use: the submitted token is rotated out now and the replacement stored. */
  | { kind: 'rotated' }
  /** Rotated out before, within the grace period (a client retrying a lost answer): another replacement is stored. */
  | { kind: 'retried' }
  /**
   * Rotated out before the grace period: the token was used twice, so one of the two users holds
   * a stolen copy. The whole family is revoked in the same transaction (OAuth 2.0 Security BCP,
   * RFC 9700 §4.14.2), since the server cannot tell which one.
   */
  | { kind: 'reused' }
  /** The token or its family was revoked (RevokeToken, a global sign-out, an earlier reuse). */
  | { kind: 'revoked' }
  /** No such token in this pool (never issued, or gone with its user). */
  | { kind: 'unknown' };

/**
 * A stored token as rotation judges it (spec §10.7). Revoked wins, so a token rotated out within
 * its grace period still stops at a sign-out; the grace period counts from the first rotation.
 * Without one the token is used up, whatever `now` says: a request that read the clock just
 * before a concurrent rotation committed has a `now` earlier than that rotation.
 */
export function rotationVerdict(t: RefreshTokenRecord | undefined, now: number, graceMs: number): RotationResult['kind'] {
  if (!t) return 'unknown';
  if (t.revokedAt !== null) return 'revoked';
  if (t.rotatedAt === null) return 'rotated';
  return graceMs > 0 && now - t.rotatedAt < graceMs ? 'retried' : 'reused';
}

export interface SigningKeyRecord {
  poolId: string;
  kid: string;
  /** Cognito signs ID and access tokens with different keys (sign-in spec §10.2). */
  use: 'id' | 'access';
  sealedPrivateKey: string;
  /** The public JWK as JSON text, as the JWKS document lists it. */
  publicJwk: string;
  createdAt: number;
  retiredAt: number | null;
}

/** What a finished sign-in step writes, in one transaction. */
export interface SignInCompletion {
  poolId: string;
  usernameKey: string;
  now: number;
  /**
   * Consumed here, so that two concurrent answers to one session cannot both succeed. A session
   * of another pool or user counts as unknown: the digest alone must not sign in someone else.
   */
  consumeSession?: string;
  /** The next challenge's session, when the flow goes on. */
  nextSession?: AuthSessionRecord;
  /** A new refresh token, when the flow ends with tokens; the user's rows REFRESH_TOKEN_RETENTION_MS past expiry go. */
  refreshToken?: RefreshTokenRecord;
  /** Reset the lockout count (a successful password proof). */
  resetLockout?: boolean;
  /** NEW_PASSWORD_REQUIRED: the new password and attributes. */
  password?: PasswordChange;
}

export type CompletionResult = { kind: 'done' } | { kind: 'session-used' } | { kind: 'session-expired' } | { kind: 'session-unknown' } | { kind: 'user-gone' };

export interface SignInStore {
  /** Credentials and lockout state of one user, undefined when the user does not exist. */
  getCredentials(poolId: string, usernameKey: string): Promise<Credentials | undefined>;
  /** Sets hash, verifier and status together (AdminSetUserPassword, ChangePassword, reset flows). */
  setPassword(poolId: string, usernameKey: string, change: PasswordChange, now: number): Promise<boolean>;
  /**
   * Records a wrong password: the row is locked, `judge` turns the current lockout state into the
   * next one, and that is stored; concurrent failures on several instances each count. Undefined
   * when the user does not exist.
   */
  recordPasswordFailure(poolId: string, usernameKey: string, now: number, judge: (state: LockoutState) => LockoutState): Promise<LockoutState | undefined>;

  /**
   * Stores a session (replacing one of the same digest). Used and expired rows stay for
   * SESSION_RETENTION_MS past their expiry, so a reuse or a late answer is told apart from garbage;
   * each insert prunes a few rows older than that. `messages` (the code of an EMAIL_OTP or SMS_OTP
   * challenge) are queued in the same transaction: a code is sent only if its session exists.
   */
  insertAuthSession(session: AuthSessionRecord, messages?: readonly OutboxMessage[]): Promise<void>;
  /** Marks the session used and returns it, unless it is unknown, expired or used already (used wins over expired). */
  takeAuthSession(digest: string, now: number): Promise<SessionTake>;
  /** Reads the session without consuming it; the same verdicts as `takeAuthSession`. */
  peekAuthSession(digest: string, now: number): Promise<SessionPeek>;
  /**
   * Counts a wrong answer to a live session; the `limit`th spends it (marks it used). `spent` when
   * the session was not live to begin with.
   */
  recordSessionFailure(digest: string, now: number, limit: number): Promise<SessionFailure>;
  /**
   * Applies a finished step atomically; with `consumeSession` it fails if the session was taken
   * meanwhile, and nothing of the step is applied. `user-gone` likewise applies nothing.
   */
  completeSignIn(completion: SignInCompletion): Promise<CompletionResult>;

  getRefreshToken(digest: string): Promise<RefreshTokenRecord | undefined>;
  /**
   * Rotation (spec §10.7): the submitted token's row is locked, judged and, if it may be rotated,
   * marked rotated-out (the first time only, so the grace period never moves) and the replacement
   * stored; of concurrent rotations of one token on a grace-0 client exactly one is `rotated`.
   */
  rotateRefreshToken(rotation: RefreshRotation): Promise<RotationResult>;
  /** Whether the token family of `originJti` was revoked (by RevokeToken or a global sign-out). */
  familyRevoked(poolId: string, originJti: string): Promise<boolean>;
  /** RevokeToken: the family of this refresh token. False when no token of that family is known. */
  revokeFamily(poolId: string, originJti: string, now: number): Promise<boolean>;
  /** GlobalSignOut / AdminUserGlobalSignOut: every family of the user. Returns how many tokens it revoked. */
  revokeUserTokens(poolId: string, usernameKey: string, now: number): Promise<number>;
  /**
   * The user's refresh-token rows still kept (live, rotated out, revoked or expired within
   * REFRESH_TOKEN_RETENTION_MS), newest issued first, at most `limit`; `revokedAt` is the family's,
   * as `getRefreshToken` reports it. For the admin console's view of a user's sign-ins; never the tokens.
   */
  refreshTokensOfUser(poolId: string, usernameKey: string, limit: number): Promise<RefreshTokenRecord[]>;

  /** The pool's signing keys, newest first, retired ones included: the caller decides how long a retired key stays in the JWKS. */
  getSigningKeys(poolId: string): Promise<SigningKeyRecord[]>;
  /**
   * Adds keys unless the pool already has an unretired key of that use (two instances may race to
   * create a pool's first keys; one pair wins). All keys belong to one pool. Returns the pool's
   * keys afterwards, none when the pool is gone.
   */
  addSigningKeys(keys: SigningKeyRecord[]): Promise<SigningKeyRecord[]>;
  /** Retires the current keys of each replacement's `use` and adds the replacements, in one transaction. */
  rotateSigningKeys(poolId: string, replacements: SigningKeyRecord[], now: number): Promise<void>;
}

/** The one pool a batch of keys belongs to; a batch that mixes pools is a caller's bug. */
export function poolOfKeys(keys: readonly SigningKeyRecord[]): string | undefined {
  const poolId = keys[0]?.poolId;
  if (keys.some((k) => k.poolId !== poolId)) throw new Error('signing keys of several pools in one call');
  return poolId;
}
