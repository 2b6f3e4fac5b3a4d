/**
 * @module What follows a proved password (sign-in spec §4 rows 7–11): an expired temporary
 * password is refused, a temporary one leads to NEW_PASSWORD_REQUIRED, anything else ends with
 * tokens. Also the checks every password flow makes before it looks at the password.
 */
import { randomUUID } from 'node:crypto';
import { current, isLocked, type LockoutPolicy } from '../../../domain/lockout.ts';
import { errors } from '../../../domain/messages.ts';
import type { ClientView } from '../../../domain/pool-view.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../../../domain/records.ts';
import type { Credentials, SignInStore } from '../../../store/sign-in-store.ts';
import type { AccountStore } from '../../../store/account-store.ts';
import type { OAuthGrantStore } from '../../../store/oauth-grant-store.ts';
import type { PasswordHasher } from '../../../domain/passwords.ts';
import type { SecretBox } from '../../../util/secret-box.ts';
import type { Triggers } from '../../../triggers/triggers.ts';
import { issueChallenge, type IssuedChallenge } from './challenges.ts';
import { preTokenOverrides, runPostAuthentication } from './sign-in-triggers.ts';
import type { AuthenticationResult, TokenService } from './token-service.ts';

export interface SignInServices {
  store: SignInStore & Pick<AccountStore, 'passwordHistory'> & Pick<OAuthGrantStore, 'grantedScopes'> & { getUser(poolId: string, usernameKey: string): Promise<UserRecord | undefined> };
  box: SecretBox;
  passwords: PasswordHasher;
  tokens: TokenService;
  lockout: LockoutPolicy;
  /** Absent where a caller runs sign-in without Lambda triggers. */
  triggers?: Triggers;
  /** Tells the outbox a sign-in code is queued; absent where nothing delivers. */
  wakeOutbox?: () => void;
  region?: string;
}

export interface SignInContext {
  pool: PoolRecord;
  client: ClientRecord;
  clientView: ClientView;
  now: number;
  /** The caller's user agent, for the triggers' callerContext. */
  userAgent?: string;
  clientMetadata?: Record<string, string>;
  /** Set while answering a challenge: only then does ClientMetadata reach the triggers after the password. */
  answering?: boolean;
}

export type SignInResponse = IssuedChallenge | { ChallengeParameters: Record<string, string>; AuthenticationResult: AuthenticationResult };

const DAY_MS = 24 * 60 * 60 * 1000;

type Finish<T> = (s: SignInServices, c: SignInContext, user: UserRecord) => Promise<T>;

/**
 * Rows 2–4 of §4: disabled, unconfirmed (even before a wrong password), reset required. A sign-in
 * code is held to them too. The hosted /login proves an unconfirmed user's password first
 * (`proveUnconfirmed`), since a right one leads on to the confirmation page (OML §5.1, I).
 */
export function checkUserState(user: UserRecord, proveUnconfirmed = false): void {
  if (!user.enabled) throw errors.userDisabled();
  if (user.status === 'UNCONFIRMED' && !proveUnconfirmed) throw errors.userNotConfirmed();
  if (user.status === 'RESET_REQUIRED') throw errors.passwordResetRequired();
}

/** Rows 2–4 and 6 of §4: the user's state, then the password lockout. */
export function checkBeforePassword(user: UserRecord, credentials: Credentials, now: number, policy: LockoutPolicy, proveUnconfirmed = false): void {
  checkUserState(user, proveUnconfirmed);
  if (isLocked(current(credentials.lockout, now, policy), now)) throw errors.passwordAttemptsExceeded();
}

/**
 * Everything that can be said about a user whose password was just proved. `finish` ends a
 * sign-in that needs no further step: with tokens for the API, without them for the hosted pages,
 * whose grant the token endpoint mints later.
 */
export function afterPassword(s: SignInServices, c: SignInContext, user: UserRecord, credentials: Credentials): Promise<SignInResponse>;
export function afterPassword<T>(s: SignInServices, c: SignInContext, user: UserRecord, credentials: Credentials, finish: Finish<T>): Promise<IssuedChallenge | T>;
export async function afterPassword(s: SignInServices, c: SignInContext, user: UserRecord, credentials: Credentials, finish: Finish<unknown> = finishWithTokens): Promise<unknown> {
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const days = (c.pool.settings.Policies as { PasswordPolicy?: { TemporaryPasswordValidityDays?: number } } | undefined)?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
    const setAt = credentials.passwordSetAt ?? user.updatedAt;
    if (c.now - setAt > days * DAY_MS) throw errors.temporaryPasswordExpired();
    await s.store.completeSignIn({ poolId: c.pool.id, usernameKey: user.usernameKey, now: c.now, resetLockout: true });
    return issueChallenge(s, { poolId: c.pool.id, client: c.clientView, usernameKey: user.usernameKey, now: c.now }, 'NEW_PASSWORD_REQUIRED', { kind: 'new-password', userIdForSrp: user.username }, newPasswordParameters(c.pool, user));
  }
  return finish(s, c, user);
}

/**
 * A sign-in through the hosted pages, which issue no tokens here: PostAuthentication runs and the
 * lockout count is reset, as for an API sign-in; the authorization code follows on the page.
 */
export async function finishWithoutTokens(s: SignInServices, c: SignInContext, user: UserRecord): Promise<UserRecord> {
  await runPostAuthentication(s, c, user);
  const done = await s.store.completeSignIn({ poolId: c.pool.id, usernameKey: user.usernameKey, now: c.now, resetLockout: true });
  if (done.kind === 'user-gone') throw errors.userNotFound();
  return user;
}

/**
 * Tokens and the refresh token's record, stored in the same transaction that resets the lockout
 * count and, for a step answered on a session that was only peeked at, consumes that session.
 */
export async function finishWithTokens(s: SignInServices, c: SignInContext, user: UserRecord, consumeSession?: string): Promise<SignInResponse> {
  await runPostAuthentication(s, c, user);
  const overrides = await preTokenOverrides(s, c, user, 'TokenGeneration_Authentication');
  const { result, refresh } = await s.tokens.issue({ pool: c.pool, client: c.client, user, now: c.now, originJti: randomUUID(), withRefreshToken: true, overrides });
  const done = await s.store.completeSignIn({ poolId: c.pool.id, usernameKey: user.usernameKey, now: c.now, resetLockout: true, refreshToken: refresh?.record, consumeSession });
  if (done.kind === 'user-gone') throw errors.userNotFound();
  if (done.kind === 'session-used') throw errors.sessionUsed();
  if (done.kind === 'session-expired') throw errors.sessionExpired();
  if (done.kind === 'session-unknown') throw errors.sessionInvalid();
  return { ChallengeParameters: {}, AuthenticationResult: result };
}

/**
 * identity-js parses both values with JSON.parse unconditionally, so both are always present;
 * `sub` is left out because it cannot be written back and clients echo this object (§7.1).
 */
function newPasswordParameters(pool: PoolRecord, user: UserRecord): Record<string, string> {
  const required = requiredAttributes(pool).filter((name) => !user.attributes[name]).map((name) => `userAttributes.${name}`);
  const attributes = Object.fromEntries(Object.entries(user.attributes).filter(([name]) => name !== 'sub'));
  return { USER_ID_FOR_SRP: user.username, requiredAttributes: JSON.stringify(required), userAttributes: JSON.stringify(attributes) };
}

/** The attributes the pool's schema marks required; NEW_PASSWORD_REQUIRED must leave none of them empty. */
export function requiredAttributes(pool: PoolRecord): string[] {
  const schema = (pool.settings.Schema as { Name?: string; Required?: boolean }[] | undefined) ?? [];
  return schema.filter((a) => a.Required && a.Name).map((a) => a.Name!);
}
