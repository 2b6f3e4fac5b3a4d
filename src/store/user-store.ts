/**
 * @module The users-and-codes aggregate's contract: users, their sign-in aliases, sign-up codes and
 * the attempts counted against them. The counted intents lock the user, let a judge supplied by
 * the caller decide on what they read, and apply the decision in the same transaction.
 */
import type { AliasClaim, CodeRecord, OutboxMessage, SessionRecord, UserRecord } from '../domain/records.ts';
import type { Page } from './cursor.ts';
import type { SrpVerifier } from './sign-in-store.ts';

export interface UserLookup {
  usernameKey: string;
  /** Alias values the login string may stand for, tried after the username. */
  aliases: AliasClaim[];
  /** The login string as a possible `sub`. */
  sub: string;
}

export interface UserFilter {
  attribute: string;
  value: string;
  prefix: boolean;
}

/** What the caller decides once the store has locked the user and counted recent attempts. */
export type ConfirmJudgement =
  | { kind: 'refuse'; countAttempt: boolean; reason: string }
  | {
      kind: 'confirm';
      countAttempt: boolean;
      /** Attribute set to verified (`email_verified`/`phone_number_verified`), if any. */
      verify: 'email' | 'phone_number' | null;
      /** Aliases that become active with this confirmation. */
      aliases: AliasClaim[];
    };

export interface ConfirmState {
  user: UserRecord;
  code: CodeRecord | undefined;
  attemptsInWindow: number;
}

export interface ConfirmRequest {
  poolId: string;
  usernameKey: string;
  now: number;
  /** Attempts made since this time count against the limit. */
  windowStart: number;
  /** Consume the code on success; AdminConfirmSignUp has none to consume. */
  consumeCode: boolean;
  /** When true, conflicting aliases move to this user and the previous owner's attribute is unverified. */
  forceAliasCreation: boolean;
  judge: (state: ConfirmState) => ConfirmJudgement;
  /** Stored as an auth session with challenge CONFIRMED_SIGN_UP, created at `now` (sign-in spec §5.5). */
  session?: SessionRecord;
  /**
   * When no user has this key, judge this stand-in instead and count its attempts under the key,
   * so that an unknown name costs the same work and meets the same limit as a known one; the
   * result is then `refused` or `not-found`, never a confirmation.
   */
  standIn?: { user: UserRecord; code: CodeRecord };
}

export type ConfirmResult =
  | { kind: 'not-found' }
  | { kind: 'refused'; reason: string; user: UserRecord }
  | { kind: 'alias-conflict'; attribute: string; user: UserRecord }
  | { kind: 'confirmed'; user: UserRecord };

export interface ReissueRequest {
  poolId: string;
  usernameKey: string;
  now: number;
  windowStart: number;
  limit: number;
  code: CodeRecord;
  messages: OutboxMessage[];
}

export type ReissueResult =
  | { kind: 'not-found' }
  | { kind: 'not-unconfirmed'; user: UserRecord }
  | { kind: 'limited' }
  | { kind: 'issued'; user: UserRecord };

/** AdminCreateUser with MessageAction RESEND: a new temporary password and a new invitation. */
export interface ReinviteRequest {
  poolId: string;
  usernameKey: string;
  now: number;
  passwordHash: string;
  /** The verifier of the new password; without one the old verifier is cleared, never left to disagree. */
  srp?: SrpVerifier;
  /** When the new temporary password was set; `now` when absent. */
  passwordSetAt?: number;
  messages: OutboxMessage[];
}

export type ReinviteResult = { kind: 'not-found' } | { kind: 'not-invited'; user: UserRecord } | { kind: 'reinvited'; user: UserRecord };

export interface NewUser {
  user: UserRecord;
  /** The SRP verifier of `user.passwordHash`'s password, when the user has one. */
  srp?: SrpVerifier;
  /** When the password was set; `user.createdAt` when absent and the user has a password. */
  passwordSetAt?: number;
  /** Aliases active from creation (username-attribute pools: the email/phone must be unique). */
  aliases: AliasClaim[];
  code?: CodeRecord;
  messages: OutboxMessage[];
  /** Stored as an auth session with challenge SIGN_UP, created at `user.createdAt`. */
  session?: SessionRecord;
}

/** `pool-not-found`: the pool was deleted after the caller looked it up (a concurrent DeleteUserPool). */
export type InsertUserResult = { kind: 'created' } | { kind: 'username-exists' } | { kind: 'alias-exists'; attribute: string } | { kind: 'pool-not-found' };

/** One user of a bulk import: what SignUp would store for it, without a code, a message or a session. */
export interface ImportedUser {
  user: UserRecord;
  srp?: SrpVerifier;
  /** When the password was set; `user.createdAt` when absent and the user has a password. */
  passwordSetAt?: number;
  /** Aliases active from creation, as `NewUser.aliases`. */
  aliases: AliasClaim[];
}

/**
 * A user the import left out: its username (or `sub`) or one of its aliases was already held, by a
 * stored user or by an earlier user of the same import. Nothing of a skipped user is written.
 */
export type ImportSkip = { username: string; reason: 'username-exists' } | { username: string; reason: 'alias-exists'; attribute: string };

/** `pool-not-found` also when the pool is deleted during the import; the chunks before it went with it. */
export type ImportUsersResult = { kind: 'pool-not-found' } | { kind: 'imported'; imported: number; skipped: ImportSkip[] };

/** Users per transaction of `importUsers`: large enough that a million is a couple of thousand commits, small enough to hold a write lock only a few milliseconds. */
export const IMPORT_CHUNK_SIZE = 512;

export interface UserStore {
  insertUser(input: NewUser): Promise<InsertUserResult>;
  /**
   * Bulk creation for imports and seeding: users and their aliases in transactions of
   * IMPORT_CHUNK_SIZE, with multi-row inserts and outside the per-request group commit. Users whose
   * username, sub or alias is taken are skipped and reported; the rest are written as insertUser
   * would write them. The users are read lazily, so a generator of a million costs one chunk of memory.
   */
  importUsers(poolId: string, users: Iterable<ImportedUser>): Promise<ImportUsersResult>;
  findUser(poolId: string, lookup: UserLookup): Promise<UserRecord | undefined>;
  getUser(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
  listUsers(poolId: string, limit: number, cursor?: string, filter?: UserFilter): Promise<Page<UserRecord>>;
  /** A short text that changes whenever a user of the pool is added, removed or changed (the console's live view polls it). */
  usersWatermark(poolId: string): Promise<string>;
  /** DescribeUserPool's EstimatedNumberOfUsers: a count over the pool's primary-key range. */
  countUsers(poolId: string): Promise<number>;
  setUserEnabled(poolId: string, usernameKey: string, enabled: boolean, now: number): Promise<boolean>;
  /** Takes the user's aliases, code, attempts, auth sessions and refresh tokens with it. */
  deleteUser(poolId: string, usernameKey: string): Promise<boolean>;

  /** Locks the user, counts recent attempts, lets `judge` decide, and applies the decision atomically. */
  confirmSignUp(request: ConfirmRequest): Promise<ConfirmResult>;
  /** Replaces the outstanding code and queues its message, if the resend limit allows. */
  reissueSignUpCode(request: ReissueRequest): Promise<ReissueResult>;
  /** Replaces the temporary password and queues the invitation, if the user is still FORCE_CHANGE_PASSWORD. */
  reinviteUser(request: ReinviteRequest): Promise<ReinviteResult>;
}

/** Reads an import's users one chunk at a time, so only one chunk is ever held in memory. */
export function* importChunks(poolId: string, users: Iterable<ImportedUser>, size = IMPORT_CHUNK_SIZE): Generator<ImportedUser[]> {
  let chunk: ImportedUser[] = [];
  for (const entry of users) {
    if (entry.user.poolId !== poolId) throw new Error(`importUsers(${poolId}) was given a user of pool ${entry.user.poolId}`);
    chunk.push(entry);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** What a backend found already stored for one chunk's keys; `aliases` holds `aliasSlot` values. */
export interface HeldKeys {
  usernameKeys: Set<string>;
  subs: Set<string>;
  aliases: Set<string>;
}

/** No key contains U+0000 (PostgreSQL text cannot), so it separates the attribute from the value. */
export const aliasSlot = (attribute: string, valueKey: string): string => `${attribute}\u0000${valueKey}`;

/**
 * The import's one rule, shared by every backend: users are taken in order, and each is written
 * only if its username, sub and aliases are free of stored users and of the users taken before it.
 * `held` grows with each user taken, which is what catches duplicates inside the chunk.
 */
export function sortImportChunk(chunk: readonly ImportedUser[], held: HeldKeys): { accepted: ImportedUser[]; skipped: ImportSkip[] } {
  const accepted: ImportedUser[] = [];
  const skipped: ImportSkip[] = [];
  for (const entry of chunk) {
    const { user } = entry;
    if (held.usernameKeys.has(user.usernameKey) || held.subs.has(user.sub)) {
      skipped.push({ username: user.username, reason: 'username-exists' });
      continue;
    }
    const taken = entry.aliases.find((alias) => held.aliases.has(aliasSlot(alias.attribute, alias.valueKey)));
    if (taken) {
      skipped.push({ username: user.username, reason: 'alias-exists', attribute: taken.attribute });
      continue;
    }
    held.usernameKeys.add(user.usernameKey);
    held.subs.add(user.sub);
    for (const alias of entry.aliases) held.aliases.add(aliasSlot(alias.attribute, alias.valueKey));
    accepted.push(entry);
  }
  return { accepted, skipped };
}
