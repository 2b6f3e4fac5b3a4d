/**
 * @module RespondToAuthChallenge and its Admin twin: the session is taken (used up) first, must
 * be this client's and wait for this challenge, then the answer is judged. PASSWORD_VERIFIER,
 * NEW_PASSWORD_REQUIRED and SELECT_CHALLENGE are answered here (sign-in spec §5.2, §7.1, §7.3);
 * EMAIL_OTP and SMS_OTP look at their session without taking it, since a wrong code keeps it (§7.6).
 */
import { randomUUID } from 'node:crypto';
import { errors } from '../../../domain/messages.ts';
import { checkPassword, passwordHistorySize } from '../../../domain/password-policy.ts';
import type { PoolView } from '../../../domain/pool-view.ts';
import type { UserRecord } from '../../../domain/records.ts';
import { checkUserAttributes } from '../attributes.ts';
import { checkHistory } from '../recovery/password-history.ts';
import { peekSession, stateOf, takeSession } from './challenges.ts';
import { newCredentials } from './credentials.ts';
import { preTokenOverrides, runPostAuthentication } from './sign-in-triggers.ts';
import { requiredAttributes, type SignInContext, type SignInResponse, type SignInServices } from './outcome.ts';
import { finishSrp } from './password-proof.ts';
import { checkAuthSecretHash } from './start-auth.ts';
import { answerCode, isCodeFactor } from './sign-in-code.ts';
import { answerSelection } from './user-auth.ts';
import type { AuthenticationResult } from './token-service.ts';

export interface RespondInput {
  ChallengeName: string;
  Session?: string;
  ChallengeResponses?: Record<string, string>;
  ClientMetadata?: Record<string, string>;
}

/** Attributes a user may never set by answering a challenge: the server owns them. */
const NOT_WRITABLE = new Set(['sub', 'email_verified', 'phone_number_verified']);

export async function respondToChallenge(s: SignInServices, entered: SignInContext & { poolView: PoolView }, input: RespondInput): Promise<SignInResponse> {
  const c = { ...entered, clientMetadata: input.ClientMetadata, answering: true };
  const responses = input.ChallengeResponses ?? {};
  if (input.ChallengeName === 'ADMIN_NO_SRP_AUTH') throw errors.challengeNameMismatch();
  if (typeof responses.USERNAME !== 'string') throw errors.missingAuthParameter('USERNAME');
  if (input.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    if (typeof responses.NEW_PASSWORD !== 'string') throw errors.missingAuthParameter('NEW_PASSWORD');
    await checkNewPassword(s, c, input.Session, responses.NEW_PASSWORD);
  }

  if (isCodeFactor(input.ChallengeName)) {
    return answerCode(s, c, input.ChallengeName, input.Session, responses, (names) => checkAuthSecretHash(s.box, c.client, names, responses.SECRET_HASH));
  }

  const session = await takeSession(s, input.Session, c.pool.id, c.client.clientId, c.now);
  if (session.challenge !== input.ChallengeName) throw errors.challengeNameMismatch();
  const user = await s.store.getUser(c.pool.id, session.usernameKey);
  checkAuthSecretHash(s.box, c.client, user ? [responses.USERNAME, user.username] : [responses.USERNAME], responses.SECRET_HASH);
  const state = stateOf(s, session);

  if (state.kind === 'srp') return finishSrp(s, c, state, session.usernameKey, responses);
  if (state.kind === 'select') return answerSelection(s, c, state.available, user, responses.USERNAME, session.usernameKey, responses);
  if (!user || user.status !== 'FORCE_CHANGE_PASSWORD') throw errors.sessionInvalid();
  const { result } = await completeNewPassword(s, c, user, responses, true);
  return { ChallengeParameters: {}, AuthenticationResult: result! };
}

/**
 * A new password that breaks the policy leaves the session usable for another try (§7.1, I). So
 * is one of the user's last PasswordHistorySize passwords, the temporary one among them; the
 * session is only looked at, and the answer goes to whoever proved the temporary password.
 */
export async function checkNewPassword(s: SignInServices, c: SignInContext & { poolView: PoolView }, session: unknown, password: string): Promise<void> {
  checkPassword(c.poolView.passwordPolicy, password);
  if (passwordHistorySize(c.pool.settings) > 0) {
    const waiting = await peekSession(s, session, c.pool.id, c.client.clientId, c.now);
    if (waiting.challenge === 'NEW_PASSWORD_REQUIRED' && (await checkHistory({ store: s.store, passwords: s.passwords }, c.pool, waiting.usernameKey, password)).reused) {
      throw errors.passwordHistoryViolation();
    }
  }
}

/**
 * Sets the permanent password and the attributes the answer fills in. `mint` is false for the
 * hosted pages: their grant is an authorization code, and the token endpoint mints the tokens.
 */
export async function completeNewPassword(
  s: SignInServices,
  c: SignInContext,
  user: UserRecord,
  responses: Readonly<Record<string, string>>,
  mint: boolean,
): Promise<{ user: UserRecord; result?: AuthenticationResult }> {
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(responses)) {
    if (!key.startsWith('userAttributes.')) continue;
    const name = key.slice('userAttributes.'.length);
    if (NOT_WRITABLE.has(name)) throw errors.unauthorizedAttribute();
    given[name] = value;
  }
  // The client's WriteAttributes hold here as in SignUp; an immutable attribute the invitation left
  // empty is still the user's to fill, so the user's current values are not passed.
  checkUserAttributes(c.pool, given, { client: c.client });
  const attributes = { ...user.attributes, ...given };
  for (const name of requiredAttributes(c.pool)) if (!attributes[name]) throw errors.requiredAttributeMissing(name);

  const credentials = await newCredentials(s, c.pool.id, user.username, responses.NEW_PASSWORD!);
  const confirmed: UserRecord = { ...user, status: 'CONFIRMED', attributes, passwordHash: credentials.passwordHash, updatedAt: c.now };
  await runPostAuthentication(s, c, confirmed);
  const issued = mint ? await mintTokens(s, c, confirmed) : undefined;
  const refresh = issued?.refresh;
  const done = await s.store.completeSignIn({
    poolId: c.pool.id,
    usernameKey: user.usernameKey,
    now: c.now,
    resetLockout: true,
    refreshToken: refresh?.record,
    password: { ...credentials, status: 'CONFIRMED', attributes: given },
  });
  if (done.kind === 'user-gone') throw errors.userNotFound();
  return { user: confirmed, result: issued?.result };
}

async function mintTokens(s: SignInServices, c: SignInContext, user: UserRecord) {
  const overrides = await preTokenOverrides(s, c, user, 'TokenGeneration_NewPasswordChallenge');
  return s.tokens.issue({ pool: c.pool, client: c.client, user, now: c.now, originJti: randomUUID(), withRefreshToken: true, overrides });
}
