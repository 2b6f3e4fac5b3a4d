/**
 * @module The storage contract. Every method is one transaction named for its intent, so SQLite
 * and PostgreSQL can implement the same semantics and be run through one contract suite.
 * No method waits on anything but its own database while a transaction is open.
 */
import type {
  AliasClaim,
  ClientRecord,
  ClientSecretRecord,
  CodeRecord,
  OutboxMessage,
  OutboxRow,
  PoolRecord,
  SessionRecord,
  UserRecord,
} from '../domain/records.ts';

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, absent on the last page. */
  next?: string;
}

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
  messages: OutboxMessage[];
}

export type ReinviteResult = { kind: 'not-found' } | { kind: 'not-invited'; user: UserRecord } | { kind: 'reinvited'; user: UserRecord };

export interface NewUser {
  user: UserRecord;
  /** Aliases active from creation (username-attribute pools: the email/phone must be unique). */
  aliases: AliasClaim[];
  code?: CodeRecord;
  messages: OutboxMessage[];
  session?: SessionRecord;
}

/** `pool-not-found`: the pool was deleted after the caller looked it up (a concurrent DeleteUserPool). */
export type InsertUserResult = { kind: 'created' } | { kind: 'username-exists' } | { kind: 'alias-exists'; attribute: string } | { kind: 'pool-not-found' };

export interface OutboxQuery {
  poolId?: string;
  username?: string;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Cheap round trip used by /health. */
  ping(): Promise<void>;
  /** True when every migration this version of the server knows has been applied to the database. */
  schemaCurrent(): Promise<boolean>;
  close(): Promise<void>;
  /** Removes every pool, client, user and message (control API). */
  wipe(): Promise<void>;
  /** Returns the existing value for `key`, storing `value` first if there was none. */
  metaGetOrSet(key: string, value: string): Promise<string>;

  createUserPool(pool: PoolRecord): Promise<boolean>;
  getUserPool(poolId: string): Promise<PoolRecord | undefined>;
  listUserPools(limit: number, cursor?: string): Promise<Page<PoolRecord>>;
  updateUserPool(pool: PoolRecord): Promise<boolean>;
  deleteUserPool(poolId: string): Promise<boolean>;

  /** False when nothing was inserted: the client id is taken, or the pool is gone (deleted since the caller read it). */
  createClient(client: ClientRecord): Promise<boolean>;
  getClient(clientId: string): Promise<ClientRecord | undefined>;
  listClients(poolId: string, limit: number, cursor?: string): Promise<Page<ClientRecord>>;
  updateClient(client: ClientRecord): Promise<boolean>;
  deleteClient(poolId: string, clientId: string): Promise<boolean>;
  /** Adds a secret unless the client already holds `max`; one transaction so two callers cannot both pass. */
  addClientSecret(clientId: string, secret: ClientSecretRecord, max: number): Promise<'added' | 'limit' | 'not-found'>;
  deleteClientSecret(clientId: string, secretId: string): Promise<boolean>;

  insertUser(input: NewUser): Promise<InsertUserResult>;
  findUser(poolId: string, lookup: UserLookup): Promise<UserRecord | undefined>;
  getUser(poolId: string, usernameKey: string): Promise<UserRecord | undefined>;
  listUsers(poolId: string, limit: number, cursor?: string, filter?: UserFilter): Promise<Page<UserRecord>>;
  setUserEnabled(poolId: string, usernameKey: string, enabled: boolean, now: number): Promise<boolean>;
  deleteUser(poolId: string, usernameKey: string): Promise<boolean>;

  /** Locks the user, counts recent attempts, lets `judge` decide, and applies the decision atomically. */
  confirmSignUp(request: ConfirmRequest): Promise<ConfirmResult>;
  /** Replaces the outstanding code and queues its message, if the resend limit allows. */
  reissueSignUpCode(request: ReissueRequest): Promise<ReissueResult>;
  /** Replaces the temporary password and queues the invitation, if the user is still FORCE_CHANGE_PASSWORD. */
  reinviteUser(request: ReinviteRequest): Promise<ReinviteResult>;

  /** Leases up to `limit` due messages to this instance; a lease that expires makes them due again. */
  claimOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxRow[]>;
  markOutboxSent(id: number, now: number): Promise<void>;
  markOutboxFailed(id: number, error: string, retryAt: number | null): Promise<void>;
  listOutbox(query: OutboxQuery): Promise<OutboxRow[]>;
  /** How many messages wait to be sent (pending or leased), and when the oldest of them was queued. */
  outboxPending(): Promise<{ count: number; oldestCreatedAt: number | null }>;
}
