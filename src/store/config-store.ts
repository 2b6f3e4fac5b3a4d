/**
 * @module The config aggregate's contract: user pools, app clients and their secrets, the server's
 * meta values, and the wipe of everything. These change through a handful of admin calls while
 * every public call reads them, which is why the SQLite backend caches them. Also the pools' OAuth
 * configuration: domains and resource servers (OML §1, §2.1).
 */
import type { DomainRecord, ResourceServerRecord } from '../domain/oauth/records.ts';
import type { ClientRecord, ClientSecretRecord, PoolRecord } from '../domain/records.ts';
import type { Page } from './cursor.ts';

/** What a pool amendment's judge decides from the pool as stored: new settings, or a refusal to hand back. */
export type PoolAmendment<R> = { kind: 'amend'; settings: Record<string, unknown> } | { kind: 'refuse'; reason: R };
export type PoolAmendmentResult<R> = { kind: 'amended'; pool: PoolRecord } | { kind: 'refused'; reason: R } | { kind: 'not-found' };

/** Why a domain was not created: its name belongs to some pool already, or this pool has one of its kind. */
export type DomainCreation = 'created' | 'name-taken' | 'pool-has-one' | 'pool-not-found';

export interface ConfigStore {
  /** Removes every pool, client, user, session, token, key and message (control API); meta stays. */
  wipe(): Promise<void>;
  /** Returns the existing value for `key`, storing `value` first if there was none. */
  metaGetOrSet(key: string, value: string): Promise<string>;

  createUserPool(pool: PoolRecord): Promise<boolean>;
  getUserPool(poolId: string): Promise<PoolRecord | undefined>;
  listUserPools(limit: number, cursor?: string): Promise<Page<PoolRecord>>;
  updateUserPool(pool: PoolRecord): Promise<boolean>;
  /**
   * Reads the pool under its lock, lets `judge` (synchronous, run under the lock) derive its new
   * settings from what is stored, and writes them with `updatedAt` in the same transaction; so a
   * change built on the stored settings (AddCustomAttributes) cannot lose, or be lost to, another
   * change of the same pool on any instance. A refusal writes nothing.
   */
  amendUserPool<R>(poolId: string, updatedAt: number, judge: (pool: PoolRecord) => PoolAmendment<R>): Promise<PoolAmendmentResult<R>>;
  /** Takes everything of the pool with it: users, codes, attempts, sessions, refresh tokens, signing keys. */
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

  /**
   * Inserts the domain unless its name is taken by any pool or the pool already has a domain of its
   * kind; one transaction, so of any number of racing creates of one name exactly one succeeds.
   */
  createDomain(domain: DomainRecord): Promise<DomainCreation>;
  getDomain(domain: string): Promise<DomainRecord | undefined>;
  /** The pool's domains, prefix before custom. */
  domainsOfPool(poolId: string): Promise<DomainRecord[]>;
  /** Replaces the domain's settings; undefined when the pool has no such domain. */
  updateDomain(poolId: string, domain: string, settings: Record<string, unknown>, updatedAt: number): Promise<DomainRecord | undefined>;
  deleteDomain(poolId: string, domain: string): Promise<boolean>;

  /** 'exists' when the pool already has a resource server with this identifier. */
  createResourceServer(server: ResourceServerRecord): Promise<'created' | 'exists' | 'pool-not-found'>;
  getResourceServer(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined>;
  /** Every resource server of the pool, by identifier: what a client's scopes are checked against. */
  resourceServersOfPool(poolId: string): Promise<ResourceServerRecord[]>;
  listResourceServers(poolId: string, limit: number, cursor?: string): Promise<Page<ResourceServerRecord>>;
  /** Replaces name and scopes; false when there is no such resource server. */
  updateResourceServer(server: ResourceServerRecord): Promise<boolean>;
  deleteResourceServer(poolId: string, identifier: string): Promise<boolean>;
}
