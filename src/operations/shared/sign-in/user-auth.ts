/**
 * @module USER_AUTH's choice of first factor (sign-in spec §5.4, §7.3): SELECT_CHALLENGE lists what
 * this user may use, and the answer names one. Passwords (PASSWORD, PASSWORD_SRP) are offered when
 * the pool allows PASSWORD as a first factor; one-time codes by email or SMS are not offered yet.
 */
import { errors } from '../../../domain/messages.ts';
import type { UserRecord } from '../../../domain/records.ts';
import { issueChallenge } from './challenges.ts';
import type { SignInContext, SignInResponse, SignInServices } from './outcome.ts';
import { signInWithPassword, startSrp } from './password-proof.ts';

export function availableFactors(c: SignInContext): string[] {
  const allowed = (c.pool.settings.Policies as { SignInPolicy?: { AllowedFirstAuthFactors?: string[] } } | undefined)?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
  // A FORCE_CHANGE_PASSWORD user was offered exactly these two, in this order (spec §5.4, R).
  return allowed.includes('PASSWORD') ? ['PASSWORD_SRP', 'PASSWORD'] : [];
}

/** Unknown users see the same list, so the answer does not tell them apart (PreventUserExistenceErrors or not, the password step decides). */
export async function selectChallenge(s: SignInServices, c: SignInContext, _user: UserRecord | undefined, usernameKey: string): Promise<SignInResponse> {
  const available = availableFactors(c);
  return issueChallenge(s, { poolId: c.pool.id, client: c.clientView, usernameKey, now: c.now }, 'SELECT_CHALLENGE', { kind: 'select', available }, {}, available);
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
  if (responses.SRP_A === undefined) throw errors.missingAuthParameter('SRP_A');
  return startSrp(s, c, user, login, usernameKey, responses.SRP_A);
}
