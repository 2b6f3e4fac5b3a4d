/**
 * @module The storage contract. Every method is one transaction named for its intent, so SQLite
 * and PostgreSQL can implement the same semantics and be run through one contract suite.
 * No method waits on anything but its own database while a transaction is open. The intents are
 * grouped by aggregate, one interface each, and `Store` is all of them: callers take a `Store`,
 * backends build one aggregate at a time (see `assemble.ts` and docs/store.md).
 */
import type { AccountStore } from './account-store.ts';
import type { AttributeStore } from './attribute-store.ts';
import type { ConfigStore } from './config-store.ts';
import type { GroupStore } from './group-store.ts';
import type { OAuthGrantStore } from './oauth-grant-store.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { SignInStore } from './sign-in-store.ts';
import type { UserStore } from './user-store.ts';

export type { Page } from './cursor.ts';
export type { AccountStore } from './account-store.ts';
export type { AttributeStore } from './attribute-store.ts';
export type { ConfigStore } from './config-store.ts';
export type { GroupStore } from './group-store.ts';
export type { AuthorizationCodeRecord, BrowserSessionRecord, CodeRedemption, OAuthGrantStore } from './oauth-grant-store.ts';
export type { OutboxPageQuery, OutboxQuery, OutboxStatusFilter, OutboxStore } from './outbox-store.ts';
export type {
  AuthSessionRecord,
  CompletionResult,
  Credentials,
  PasswordChange,
  RefreshTokenRecord,
  SessionPeek,
  SessionTake,
  SignInCompletion,
  SignInStore,
  SigningKeyRecord,
  SrpVerifier,
} from './sign-in-store.ts';
export type {
  ConfirmJudgement,
  ConfirmRequest,
  ConfirmResult,
  ConfirmState,
  InsertUserResult,
  NewUser,
  ReinviteRequest,
  ReinviteResult,
  ReissueRequest,
  ReissueResult,
  UserFilter,
  UserLookup,
  UserStore,
} from './user-store.ts';

/** The sessions-and-tokens aggregate: auth sessions, credentials and lockout, refresh tokens, signing keys. */
export type SessionStore = SignInStore;

/** What belongs to the store as a whole rather than to one aggregate. */
export interface StoreLifecycle {
  readonly kind: 'sqlite' | 'postgres';
  /** Cheap round trip used by /health. */
  ping(): Promise<void>;
  /** True when every migration this version of the server knows has been applied to the database. */
  schemaCurrent(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * Undefined when everything committed so far is on disk, else a promise that resolves once it is
   * (SQLite syncs each group commit after making it). A caller about to answer from what it read
   * waits on it, so that no answer shows a write that a power loss could still take back; a write
   * itself resolves only once durable, so a request that wrote has usually nothing left to wait for.
   */
  settled?(): Promise<void> | undefined;
}

export interface Store extends StoreLifecycle, ConfigStore, UserStore, SessionStore, OutboxStore, AccountStore, AttributeStore, GroupStore, OAuthGrantStore {}
