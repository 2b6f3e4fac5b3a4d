/**
 * @module USER_AUTH's choice of first factor (sign-in spec §5.4, §7.3): SELECT_CHALLENGE lists what
 * this user may use, and the answer names one. Passwords (PASSWORD, PASSWORD_SRP) when the pool
 * allows PASSWORD; EMAIL_OTP and SMS_OTP when the pool allows them and the user has that address
 * verified. WEB_AUTHN is never offered: passkeys are not implemented.
 */
import { errors } from '../../../domain/messages.ts';
import type { UserRecord } from '../../../domain/records.ts';
import { issueChallenge } from './challenges.ts';
import type { SignInContext, SignInResponse, SignInServices } from './outcome.ts';
import { signInWithPassword, startSrp } from './password-proof.ts';
import { codeTarget, isCodeFactor, startCodeSignIn } from './sign-in-code.ts';

function allowedFactors(c: SignInContext): string[] {
  return (c.pool.settings.Policies as { SignInPolicy?: { AllowedFirstAuthFactors?: string[] } } | undefined)?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
}

/**
 * In the order the pool lists its factors, PASSWORD standing for the pair a FORCE_CHANGE_PASSWORD
 * user was offered, in AWS's order (spec §5.4, R). Such a user is offered nothing else: only a
 * password can lead to the new-password challenge. An unknown user is offered every factor the
 * pool allows, so the list does not tell who exists.
 */
export function availableFactors(c: SignInContext, user: UserRecord | undefined): string[] {
  const out: string[] = [];
  for (const factor of allowedFactors(c)) {
    if (factor === 'PASSWORD') out.push('PASSWORD_SRP', 'PASSWORD');
    else if (isCodeFactor(factor) && (!user || (user.status !== 'FORCE_CHANGE_PASSWORD' && codeTarget(user, factor)))) out.push(factor);
  }
  return out;
}

export async function selectChallenge(s: SignInServices, c: SignInContext, user: UserRecord | undefined, usernameKey: string): Promise<SignInResponse> {
  const available = availableFactors(c, user);
  return issueChallenge(s, { poolId: c.pool.id, client: c.clientView, usernameKey, now: c.now }, 'SELECT_CHALLENGE', { kind: 'select', available }, {}, available);
}

/** USER_AUTH with PREFERRED_CHALLENGE: that factor at once when it is available, else the list to choose from (§5.4). */
export async function preferredFactor(
  s: SignInServices,
  c: SignInContext,
  user: UserRecord | undefined,
  login: string,
  usernameKey: string,
  params: Readonly<Record<string, string>>,
): Promise<SignInResponse> {
  const preferred = params.PREFERRED_CHALLENGE;
  const offered = preferred !== undefined && availableFactors(c, user).includes(preferred);
  if (offered && preferred === 'PASSWORD' && typeof params.PASSWORD === 'string') return signInWithPassword(s, c, user, params.PASSWORD, login);
  if (offered && preferred === 'PASSWORD_SRP' && typeof params.SRP_A === 'string') return startSrp(s, c, user, login, usernameKey, params.SRP_A);
  if (offered && isCodeFactor(preferred)) return startCodeSignIn(s, c, user, login, usernameKey, preferred);
  return selectChallenge(s, c, user, usernameKey);
}

export async function answerSelection(
  s: SignInServices,
  c: SignInContext,
  available: readonly string[],
  user: UserRecord | undefined,
  login: string,
  usernameKey: string,
  responses: Readonly<Record<string, string>>,
): Promise<SignInResponse> {
  const answer = responses.ANSWER;
  if (answer === undefined) throw errors.missingAuthParameter('ANSWER');
  if (!available.includes(answer)) throw errors.challengeAnswerInvalid();
  if (answer === 'PASSWORD') {
    if (responses.PASSWORD === undefined) throw errors.missingAuthParameter('PASSWORD');
    return signInWithPassword(s, c, user, responses.PASSWORD, login);
  }
  if (isCodeFactor(answer)) return startCodeSignIn(s, c, user, login, usernameKey, answer);
  if (responses.SRP_A === undefined) throw errors.missingAuthParameter('SRP_A');
  return startSrp(s, c, user, login, usernameKey, responses.SRP_A);
}
