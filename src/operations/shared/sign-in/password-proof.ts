/**
 * @module Proving a password, by the password itself (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH,
 * USER_AUTH's PASSWORD) or by SRP (USER_SRP_AUTH, PASSWORD_SRP): the user-state checks of sign-in
 * spec §4 in their order, the lockout of §9, and the same work for unknown users as for known ones.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterFailure } from '../../../domain/lockout.ts';
import { errors } from '../../../domain/messages.ts';
import type { UserRecord } from '../../../domain/records.ts';
import { isAcceptableA, isTimestampAcceptable, poolNamePart, startChallenge, unknownUserChallenge, verifyPassword } from '../../../domain/srp.ts';
import type { Credentials } from '../../../store/sign-in-store.ts';
import { issueChallenge, type ChallengeState } from './challenges.ts';
import { afterPassword, checkBeforePassword, type SignInContext, type SignInResponse, type SignInServices } from './outcome.ts';
import { runPreAuthentication } from './sign-in-triggers.ts';

/** A hash no password matches, so an unknown username costs one argon2id verification like a known one. */
const standInHashes = new WeakMap<object, Promise<string>>();
function standInHash(s: SignInServices): Promise<string> {
  let hash = standInHashes.get(s.passwords);
  if (!hash) standInHashes.set(s.passwords, (hash = s.passwords.hash(randomUUID())));
  return hash;
}

async function credentialsOf(s: SignInServices, user: UserRecord): Promise<Credentials> {
  const credentials = await s.store.getCredentials(user.poolId, user.usernameKey);
  if (!credentials) throw errors.userNotFound();
  return credentials;
}

async function refuse(s: SignInServices, user: UserRecord, now: number): Promise<never> {
  await s.store.recordPasswordFailure(user.poolId, user.usernameKey, now, (state) => afterFailure(state, now, s.lockout));
  throw errors.badCredentials();
}

function unknownUser(c: SignInContext): Error {
  return c.clientView.preventUserExistenceErrors ? errors.badCredentials() : errors.userNotFound();
}

export async function signInWithPassword(s: SignInServices, c: SignInContext, user: UserRecord | undefined, password: string, login: string): Promise<SignInResponse> {
  const proved = await provePassword(s, c, user, password, login);
  return afterPassword(s, c, proved.user, proved.credentials);
}

/**
 * The password checks alone, shared by the password flows and the hosted /login: unknown users,
 * the user's state, lockout, PreAuthentication, the hash, and the counted failure. With
 * `proveUnconfirmed` an UNCONFIRMED user's password is judged instead of refused unseen.
 */
export async function provePassword(
  s: SignInServices,
  c: SignInContext,
  user: UserRecord | undefined,
  password: string,
  login: string,
  proveUnconfirmed = false,
): Promise<{ user: UserRecord; credentials: Credentials }> {
  if (!user) {
    if (c.clientView.preventUserExistenceErrors) {
      await runPreAuthentication(s, c, login, undefined);
      await s.passwords.verify(await standInHash(s), password);
    }
    throw unknownUser(c);
  }
  const credentials = await credentialsOf(s, user);
  checkBeforePassword(user, credentials, c.now, s.lockout, proveUnconfirmed);
  await runPreAuthentication(s, c, login, user);
  // An empty password is a wrong one, not a missing one (spec §5.1, I).
  const ok = password !== '' && credentials.passwordHash !== null && (await s.passwords.verify(credentials.passwordHash, password));
  if (!ok) return refuse(s, user, c.now);
  return { user, credentials };
}

/** The stand-in key for unknown users' SRP answers: derived from the master key, stable across instances. */
function standInKey(s: SignInServices): string {
  return s.box.mac('srp-stand-in', 'key');
}

/**
 * SRP step 1 (§5.2): PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK and USER_ID_FOR_SRP. Unknown
 * users under PreventUserExistenceErrors get a stand-in that is stable per username (§6.6); in pools
 * whose usernames are not UUIDs the stand-in's user id is the typed name, as a real user's would be.
 */
export async function startSrp(s: SignInServices, c: SignInContext, user: UserRecord | undefined, login: string, loginKey: string, srpA: string): Promise<SignInResponse> {
  if (!isAcceptableA(srpA)) throw errors.invalidParameter('SRP_A is not a valid SRP value.');
  const at = { poolId: c.pool.id, client: c.clientView, now: c.now };
  const secretBlock = randomBytes(128).toString('base64');
  if (!user) {
    if (!c.clientView.preventUserExistenceErrors) throw errors.userNotFound();
    await runPreAuthentication(s, c, login, undefined);
    const fake = unknownUserChallenge({ key: standInKey(s), poolId: c.pool.id, username: loginKey });
    const usesUuids = ((c.pool.settings.UsernameAttributes as string[] | undefined) ?? []).length > 0;
    const userIdForSrp = usesUuids ? fake.userIdForSrp : login;
    const state: ChallengeState = { kind: 'srp', b: fake.b, B: fake.B, A: srpA, salt: fake.salt, userIdForSrp, secretBlock, standIn: true, verifier: fake.verifier };
    return issueChallenge(s, { ...at, usernameKey: loginKey }, 'PASSWORD_VERIFIER', state, srpParameters(fake.salt, fake.B, secretBlock, userIdForSrp));
  }
  const credentials = await credentialsOf(s, user);
  checkBeforePassword(user, credentials, c.now, s.lockout);
  await runPreAuthentication(s, c, login, user);
  // A user whose password predates SRP support has no verifier; only the password flows can sign them in.
  if (!credentials.srp) throw errors.badCredentials();
  const { b, B } = startChallenge({ verifier: s.box.decrypt(credentials.srp.sealedVerifier) });
  const state: ChallengeState = { kind: 'srp', b, B, A: srpA, salt: credentials.srp.salt, userIdForSrp: user.username, secretBlock, standIn: false };
  return issueChallenge(s, { ...at, usernameKey: user.usernameKey }, 'PASSWORD_VERIFIER', state, srpParameters(credentials.srp.salt, B, secretBlock, user.username));
}

function srpParameters(salt: string, B: string, secretBlock: string, userIdForSrp: string): Record<string, string> {
  return { SALT: salt, SRP_B: B, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: userIdForSrp, USERNAME: userIdForSrp };
}

/** SRP step 2: PASSWORD_CLAIM_SIGNATURE over the secret block and TIMESTAMP, checked in constant time. */
export async function finishSrp(
  s: SignInServices,
  c: SignInContext,
  state: Extract<ChallengeState, { kind: 'srp' }>,
  usernameKey: string,
  responses: Readonly<Record<string, string>>,
): Promise<SignInResponse> {
  for (const key of ['PASSWORD_CLAIM_SIGNATURE', 'PASSWORD_CLAIM_SECRET_BLOCK', 'TIMESTAMP']) {
    if (typeof responses[key] !== 'string') throw errors.missingAuthParameter(key);
  }
  const timestamp = responses.TIMESTAMP!;
  const proof = {
    poolName: poolNamePart(c.pool.id),
    userIdForSrp: state.userIdForSrp,
    salt: state.salt,
    b: state.b,
    B: state.B,
    A: state.A,
    secretBlock: state.secretBlock,
    timestamp,
    signature: responses.PASSWORD_CLAIM_SIGNATURE!,
  };
  if (state.standIn) {
    verifyPassword({ ...proof, verifier: state.verifier ?? '' });
    throw errors.badCredentials();
  }
  const user = await s.store.getUser(c.pool.id, usernameKey);
  if (!user) throw errors.badCredentials();
  const credentials = await credentialsOf(s, user);
  checkBeforePassword(user, credentials, c.now, s.lockout);
  if (!credentials.srp) throw errors.badCredentials();
  const ok =
    responses.PASSWORD_CLAIM_SECRET_BLOCK === state.secretBlock &&
    // Clients stamp with their own wall clock; the movable test clock must not make every proof stale.
    isTimestampAcceptable(timestamp, Date.now()) &&
    verifyPassword({ ...proof, verifier: s.box.decrypt(credentials.srp.sealedVerifier) });
  if (!ok) return refuse(s, user, c.now);
  return afterPassword(s, c, user, credentials);
}
