/**
 * @module Challenge sessions (sign-in spec §7.6): an opaque string handed to the client, kept only
 * as a keyed digest, bound to one pool, client and user, answerable once, for AuthSessionValidity
 * minutes. What the next step needs travels sealed in the store, never in the string itself.
 */
import { randomBytes } from 'node:crypto';
import { errors } from '../../../domain/messages.ts';
import type { ClientView } from '../../../domain/pool-view.ts';
import type { SignInCodeDigest } from '../../../domain/one-time-codes.ts';
import type { OutboxMessage } from '../../../domain/records.ts';
import type { AuthSessionRecord, SignInStore } from '../../../store/sign-in-store.ts';
import type { SecretBox } from '../../../util/secret-box.ts';
import { SESSION_PURPOSE } from '../sessions.ts';

/** What a session remembers between steps, by the challenge it answers. */
export type ChallengeState =
  | { kind: 'srp'; b: string; B: string; A: string; salt: string; userIdForSrp: string; secretBlock: string; standIn: boolean; verifier?: string }
  | { kind: 'new-password'; userIdForSrp: string }
  | { kind: 'select'; available: string[] }
  /** A sign-in code sent by email or SMS; `standIn` when nobody was sent one (unknown user, §5.4). */
  | { kind: 'code'; medium: 'EMAIL' | 'SMS'; code: SignInCodeDigest; standIn: boolean };

export interface IssuedChallenge {
  ChallengeName: string;
  Session: string;
  ChallengeParameters: Record<string, string>;
  AvailableChallenges?: string[];
}

/** AWS's sessions are about 1.5 kB; 256 URL-safe characters carry 192 random bytes and fit the model's 20–2048. */
function newChallengeSession(): string {
  return randomBytes(192).toString('base64url');
}

export async function issueChallenge(
  s: { store: SignInStore; box: SecretBox },
  at: { poolId: string; client: ClientView; usernameKey: string; now: number },
  challenge: string,
  state: ChallengeState,
  parameters: Record<string, string>,
  available?: string[],
  /** Messages to queue in the session's own transaction: a sign-in code goes out only if its session exists. */
  messages?: readonly OutboxMessage[],
): Promise<IssuedChallenge> {
  const token = newChallengeSession();
  const record: AuthSessionRecord = {
    digest: s.box.mac(SESSION_PURPOSE, token),
    poolId: at.poolId,
    clientId: at.client.clientId,
    usernameKey: at.usernameKey,
    challenge,
    sealedState: s.box.encrypt(JSON.stringify(state)),
    createdAt: at.now,
    expiresAt: at.now + at.client.authSessionValidityMinutes * 60_000,
  };
  await s.store.insertAuthSession(record, messages);
  return { ChallengeName: challenge, Session: token, ChallengeParameters: parameters, ...(available ? { AvailableChallenges: available } : {}) };
}

type Verdict = { kind: 'taken' | 'live'; session: AuthSessionRecord } | { kind: 'unknown' | 'expired' | 'used' };

/** A session minted for another client or pool is refused like garbage, so a leaked one cannot be replayed through a different app. */
function judged(verdict: Verdict, poolId: string, clientId: string): AuthSessionRecord {
  if (verdict.kind === 'expired') throw errors.sessionExpired();
  if (verdict.kind === 'used') throw errors.sessionUsed();
  if (verdict.kind !== 'taken' && verdict.kind !== 'live') throw errors.sessionInvalid();
  if (verdict.session.clientId !== clientId || verdict.session.poolId !== poolId) throw errors.sessionInvalid();
  return verdict.session;
}

function digestOf(box: SecretBox, token: unknown): string {
  if (typeof token !== 'string' || token.length < 20) throw errors.sessionInvalid();
  return box.mac(SESSION_PURPOSE, token);
}

/** Takes (uses up) a session for `clientId`. */
export async function takeSession(s: { store: SignInStore; box: SecretBox }, token: unknown, poolId: string, clientId: string, now: number): Promise<AuthSessionRecord> {
  return judged(await s.store.takeAuthSession(digestOf(s.box, token), now), poolId, clientId);
}

/** Like `takeSession`, but the session stays: a wrong code must not spend it (§7.6). */
export async function peekSession(s: { store: SignInStore; box: SecretBox }, token: unknown, poolId: string, clientId: string, now: number): Promise<AuthSessionRecord> {
  return judged(await s.store.peekAuthSession(digestOf(s.box, token), now), poolId, clientId);
}

export function stateOf(s: { box: SecretBox }, session: AuthSessionRecord): ChallengeState {
  if (!session.sealedState) throw errors.sessionInvalid();
  return JSON.parse(s.box.decrypt(session.sealedState)) as ChallengeState;
}
