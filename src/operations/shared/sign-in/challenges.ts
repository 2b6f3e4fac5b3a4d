/**
 * @module Challenge sessions (sign-in spec §7.6): an opaque string handed to the client, kept only
 * as a keyed digest, bound to one pool, client and user, answerable once, for AuthSessionValidity
 * minutes. What the next step needs travels sealed in the store, never in the string itself.
 */
import { randomBytes } from 'node:crypto';
import { errors } from '../../../domain/messages.ts';
import type { ClientView } from '../../../domain/pool-view.ts';
import type { AuthSessionRecord, SignInStore } from '../../../store/sign-in-store.ts';
import type { SecretBox } from '../../../util/secret-box.ts';
import { SESSION_PURPOSE } from '../sessions.ts';

/** What a session remembers between steps, by the challenge it answers. */
export type ChallengeState =
  | { kind: 'srp'; b: string; B: string; A: string; salt: string; userIdForSrp: string; secretBlock: string; standIn: boolean; verifier?: string }
  | { kind: 'new-password'; userIdForSrp: string }
  | { kind: 'select'; available: string[] };

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
  await s.store.insertAuthSession(record);
  return { ChallengeName: challenge, Session: token, ChallengeParameters: parameters, ...(available ? { AvailableChallenges: available } : {}) };
}

/**
 * Takes (uses up) a session for `clientId`. A session minted for another client or pool is
 * refused like garbage, so a leaked session cannot be replayed through a different app.
 */
export async function takeSession(
  s: { store: SignInStore; box: SecretBox },
  token: unknown,
  poolId: string,
  clientId: string,
  now: number,
): Promise<AuthSessionRecord> {
  if (typeof token !== 'string' || token.length < 20) throw errors.sessionInvalid();
  const taken = await s.store.takeAuthSession(s.box.mac(SESSION_PURPOSE, token), now);
  if (taken.kind === 'expired') throw errors.sessionExpired();
  if (taken.kind === 'used') throw errors.sessionUsed();
  if (taken.kind === 'unknown' || taken.session.clientId !== clientId || taken.session.poolId !== poolId) throw errors.sessionInvalid();
  return taken.session;
}

export function stateOf(s: { box: SecretBox }, session: AuthSessionRecord): ChallengeState {
  if (!session.sealedState) throw errors.sessionInvalid();
  return JSON.parse(s.box.decrypt(session.sealedState)) as ChallengeState;
}
