/**
 * @module USER_AUTH's passwordless first factors, EMAIL_OTP and SMS_OTP (sign-in spec §5.4, §7.4):
 * a code goes out through the outbox in the transaction that stores its session, and the answer
 * is judged on a session that is only peeked at, so a wrong code leaves it usable (§7.6) until
 * SIGN_IN_CODE_ATTEMPTS wrong answers spend it.
 */
import { codeDeliveryDetails, standInTarget, type DeliveryTarget } from '../../../domain/delivery-details.ts';
import { errors } from '../../../domain/messages.ts';
import { newSignInCode, SIGN_IN_CODE_ATTEMPTS, signInCodeDigest, signInCodeMatches, standInSignInCode } from '../../../domain/one-time-codes.ts';
import { viewPool } from '../../../domain/pool-view.ts';
import type { OutboxMessage, UserRecord } from '../../../domain/records.ts';
import { composeAuthentication } from '../../../delivery/compose.ts';
import { sealPayload } from '../../../delivery/payload.ts';
import { senderAddress } from '../../../delivery/sender-address.ts';
import { customMessageReplacement } from '../../../triggers/custom-message.ts';
import { customMessageEvent } from '../../../triggers/events.ts';
import { issueChallenge, peekSession, stateOf, type ChallengeState } from './challenges.ts';
import { checkUserState, finishWithTokens, type SignInContext, type SignInResponse, type SignInServices } from './outcome.ts';
import { runPreAuthentication } from './sign-in-triggers.ts';

export type CodeFactor = 'EMAIL_OTP' | 'SMS_OTP';

const MEDIUM = { EMAIL_OTP: 'EMAIL', SMS_OTP: 'SMS' } as const;
const ANSWER_KEY = { EMAIL_OTP: 'EMAIL_OTP_CODE', SMS_OTP: 'SMS_OTP_CODE' } as const;

export function isCodeFactor(name: string | undefined): name is CodeFactor {
  return name === 'EMAIL_OTP' || name === 'SMS_OTP';
}

/** Where this user's code for `factor` would go: only to a verified address (spec §5.4, I). */
export function codeTarget(user: UserRecord, factor: CodeFactor): DeliveryTarget | undefined {
  const a = user.attributes;
  if (factor === 'EMAIL_OTP') return a.email && a.email_verified === 'true' ? { attribute: 'email', medium: 'EMAIL', destination: a.email } : undefined;
  return a.phone_number && a.phone_number_verified === 'true' ? { attribute: 'phone_number', medium: 'SMS', destination: a.phone_number } : undefined;
}

function challengeParameters(target: DeliveryTarget): Record<string, string> {
  const details = codeDeliveryDetails(target);
  return { CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium, CODE_DELIVERY_DESTINATION: details.Destination };
}

/**
 * Sends a code and answers with its challenge. An unknown user under PreventUserExistenceErrors
 * gets the same answer with a destination shaped from what was typed, and a session no code opens.
 * The caller has checked that `factor` is available to a known user.
 */
export async function startCodeSignIn(s: SignInServices, c: SignInContext, user: UserRecord | undefined, login: string, loginKey: string, factor: CodeFactor): Promise<SignInResponse> {
  const at = { poolId: c.pool.id, client: c.clientView, now: c.now };
  if (!user) {
    if (!c.clientView.preventUserExistenceErrors) throw errors.userNotFound();
    await runPreAuthentication(s, c, login, undefined);
    const state: ChallengeState = { kind: 'code', medium: MEDIUM[factor], code: standInSignInCode(s.box, c.pool.id, loginKey), standIn: true };
    return issueChallenge(s, { ...at, usernameKey: loginKey }, factor, state, challengeParameters(standInTarget(login, MEDIUM[factor])), [factor]);
  }
  checkUserState(user);
  const target = codeTarget(user, factor);
  if (!target) throw errors.challengeAnswerInvalid();
  await runPreAuthentication(s, c, login, user);
  const code = newSignInCode();
  const message = await codeMessage(s, c, user, target, code);
  const state: ChallengeState = { kind: 'code', medium: target.medium, code: signInCodeDigest(s.box, c.pool.id, user.usernameKey, code), standIn: false };
  const issued = await issueChallenge(s, { ...at, usernameKey: user.usernameKey }, factor, state, challengeParameters(target), [factor], [message]);
  s.wakeOutbox?.();
  return issued;
}

/** CustomMessage_Authentication may rewrite the message; the pool's authentication templates otherwise. */
async function codeMessage(s: SignInServices, c: SignInContext, user: UserRecord, target: DeliveryTarget, code: string): Promise<OutboxMessage> {
  const origin = { region: s.region ?? 'us-east-1', pool: viewPool(c.pool), clientId: c.client.clientId, userAgent: c.userAgent ?? '' };
  const response = s.triggers && (await s.triggers.run(c.pool, 'CustomMessage', customMessageEvent(origin, 'CustomMessage_Authentication', user, c.answering ? c.clientMetadata : undefined)));
  const custom = response ? customMessageReplacement(c.pool.settings, response, { authentication: true }) : undefined;
  const composed = composeAuthentication({ settings: c.pool.settings, medium: target.medium, code, username: user.username, custom });
  return {
    poolId: c.pool.id,
    username: user.username,
    medium: target.medium,
    destination: target.destination,
    sealedPayload: sealPayload(s.box, { from: senderAddress(c.pool.settings), ...composed, code }),
    createdAt: c.now,
  };
}

/**
 * RespondToAuthChallenge with EMAIL_OTP_CODE or SMS_OTP_CODE. The session is consumed only in the
 * transaction that issues the tokens, so of two right answers at once only one signs in.
 */
export async function answerCode(
  s: SignInServices,
  c: SignInContext,
  factor: CodeFactor,
  token: unknown,
  responses: Readonly<Record<string, string>>,
  checkSecretHash: (usernames: readonly string[]) => void,
): Promise<SignInResponse> {
  const candidate = responses[ANSWER_KEY[factor]];
  if (typeof candidate !== 'string') throw errors.missingAuthParameter(ANSWER_KEY[factor]);
  const session = await peekSession(s, token, c.pool.id, c.client.clientId, c.now);
  if (session.challenge !== factor) throw errors.challengeNameMismatch();
  const user = await s.store.getUser(c.pool.id, session.usernameKey);
  checkSecretHash(user ? [responses.USERNAME!, user.username] : [responses.USERNAME!]);
  const state = stateOf(s, session);
  if (state.kind !== 'code') throw errors.sessionInvalid();
  const matches = signInCodeMatches(s.box, c.pool.id, session.usernameKey, candidate, state.code);
  if (!matches || state.standIn || !user) {
    const counted = await s.store.recordSessionFailure(session.digest, c.now, SIGN_IN_CODE_ATTEMPTS);
    if (counted.kind === 'spent') throw errors.sessionUsed();
    throw errors.otpMismatch();
  }
  checkUserState(user);
  return finishWithTokens(s, c, user, session.digest);
}
