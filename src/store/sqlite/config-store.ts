/**
 * @module The SQLite config aggregate: pools, clients and their secrets, domains and resource
 * servers, meta, and the wipe. Pool, client and domain reads go through the config cache, and every
 * write clears it inside its own transaction.
 */
import type Database from 'better-sqlite3';
import { domainFromRow, resourceServerFromRow, type DomainRecord, type ResourceServerRecord } from '../../domain/oauth/records.ts';
import type { ClientRecord, ClientSecretRecord, PoolRecord } from '../../domain/records.ts';
import type { ConfigStore, DomainCreation, PoolAmendment, PoolAmendmentResult } from '../config-store.ts';
import { decodeCursor, page, type Page } from '../cursor.ts';
import { clientFromRow, poolFromRow, secretFromRow } from '../rows.ts';
import { CONFIG_TABLES, configSql } from './config-statements.ts';
import { prepareAll, type PoolScoped, type Row, type SqliteContext } from './context.ts';

export class SqliteConfigStore implements ConfigStore {
  readonly #ctx: SqliteContext;
  readonly #s;
  readonly #others: readonly PoolScoped[];
  readonly #wipes: Database.Statement[];

  /** `others`: the aggregates whose rows go with a pool, in wipe order (children first). */
  constructor(ctx: SqliteContext, others: readonly PoolScoped[]) {
    this.#ctx = ctx;
    this.#s = prepareAll(ctx.db, configSql);
    this.#others = others;
    this.#wipes = [...others.flatMap((o) => o.tables), ...CONFIG_TABLES].map((table) => ctx.db.prepare(`DELETE FROM ${table}`));
  }

  async wipe(): Promise<void> {
    await this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      for (const statement of this.#wipes) statement.run();
    });
  }

  async metaGetOrSet(key: string, value: string): Promise<string> {
    return this.#ctx.writes.run(() => {
      this.#s.metaInsert.run(key, value);
      return String((this.#s.metaGet.get(key) as Row).value);
    });
  }

  async createUserPool(pool: PoolRecord): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      return this.#s.poolInsert.run(pool.id, pool.name, JSON.stringify(pool.settings), JSON.stringify(pool.limits), pool.createdAt, pool.updatedAt).changes === 1;
    });
  }

  async getUserPool(poolId: string): Promise<PoolRecord | undefined> {
    return this.#ctx.cache.pool(poolId, () => {
      const row = this.#s.poolGet.get(poolId) as Row | undefined;
      return row && poolFromRow(row);
    });
  }

  async listUserPools(limit: number, cursor?: string): Promise<Page<PoolRecord>> {
    const rows = this.#s.poolPage.all(decodeCursor(cursor) ?? '', limit + 1) as Row[];
    return page(rows.map(poolFromRow), limit, (pool) => pool.id);
  }

  async updateUserPool(pool: PoolRecord): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      return this.#s.poolUpdate.run(pool.name, JSON.stringify(pool.settings), JSON.stringify(pool.limits), pool.updatedAt, pool.id).changes === 1;
    });
  }

  async amendUserPool<R>(poolId: string, updatedAt: number, judge: (pool: PoolRecord) => PoolAmendment<R>): Promise<PoolAmendmentResult<R>> {
    // The write holds SQLite's only write lock from this read to the update.
    return this.#ctx.writes.run((): PoolAmendmentResult<R> => {
      const row = this.#s.poolGet.get(poolId) as Row | undefined;
      if (!row) return { kind: 'not-found' };
      const pool = poolFromRow(row);
      const decision = judge(pool);
      if (decision.kind === 'refuse') return { kind: 'refused', reason: decision.reason };
      const amended = { ...pool, settings: decision.settings, updatedAt };
      this.#ctx.cache.clear();
      this.#s.poolUpdate.run(amended.name, JSON.stringify(amended.settings), JSON.stringify(amended.limits), amended.updatedAt, amended.id);
      return { kind: 'amended', pool: amended };
    });
  }

  async deleteUserPool(poolId: string): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      // Rows keyed by pool without a foreign key go first; the cascade takes the rest.
      for (const other of this.#others) other.forgetPool?.(poolId);
      return this.#s.poolDelete.run(poolId).changes === 1;
    });
  }

  async createClient(client: ClientRecord): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      // Checked in the write itself: the pool may have been deleted since the caller read it.
      if (!this.#s.poolGet.get(client.poolId)) return false;
      const r = this.#s.clientInsert.run(client.clientId, client.poolId, client.name, JSON.stringify(client.settings), client.createdAt, client.updatedAt);
      if (r.changes !== 1) return false;
      for (const secret of client.secrets) this.#s.secretInsert.run(secret.id, client.clientId, secret.sealed, secret.createdAt);
      return true;
    });
  }

  async getClient(clientId: string): Promise<ClientRecord | undefined> {
    return this.#ctx.cache.client(clientId, () => {
      const row = this.#s.clientGet.get(clientId) as Row | undefined;
      return row && clientFromRow(row, this.#secretsOf(clientId));
    });
  }

  async listClients(poolId: string, limit: number, cursor?: string): Promise<Page<ClientRecord>> {
    const rows = this.#s.clientPage.all(poolId, decodeCursor(cursor) ?? '', limit + 1) as Row[];
    return page(
      rows.map((row) => clientFromRow(row, this.#secretsOf(String(row.client_id)))),
      limit,
      (client) => client.clientId,
    );
  }

  async updateClient(client: ClientRecord): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      return this.#s.clientUpdate.run(client.name, JSON.stringify(client.settings), client.updatedAt, client.clientId).changes === 1;
    });
  }

  async deleteClient(poolId: string, clientId: string): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      return this.#s.clientDelete.run(poolId, clientId).changes === 1;
    });
  }

  async addClientSecret(clientId: string, secret: ClientSecretRecord, max: number): Promise<'added' | 'limit' | 'not-found'> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      if (!this.#s.clientGet.get(clientId)) return 'not-found' as const;
      if ((this.#s.secretCount.get(clientId) as { n: number }).n >= max) return 'limit' as const;
      this.#s.secretInsert.run(secret.id, clientId, secret.sealed, secret.createdAt);
      return 'added' as const;
    });
  }

  async deleteClientSecret(clientId: string, secretId: string): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      return this.#s.secretDelete.run(clientId, secretId).changes === 1;
    });
  }

  async createDomain(domain: DomainRecord): Promise<DomainCreation> {
    return this.#ctx.writes.run((): DomainCreation => {
      this.#ctx.cache.clear();
      if (!this.#s.poolGet.get(domain.poolId)) return 'pool-not-found';
      const r = this.#s.domainInsert.run(domain.domain, domain.poolId, domain.kind, JSON.stringify(domain.settings), domain.createdAt, domain.updatedAt);
      if (r.changes === 1) return 'created';
      return this.#s.domainGet.get(domain.domain) ? 'name-taken' : 'pool-has-one';
    });
  }

  async getDomain(domain: string): Promise<DomainRecord | undefined> {
    return this.#ctx.cache.domain(domain, () => {
      const row = this.#s.domainGet.get(domain) as Row | undefined;
      return row && domainFromRow(row);
    });
  }

  async domainsOfPool(poolId: string): Promise<DomainRecord[]> {
    return (this.#s.domainsOfPool.all(poolId) as Row[]).map(domainFromRow);
  }

  async updateDomain(poolId: string, domain: string, settings: Record<string, unknown>, updatedAt: number): Promise<DomainRecord | undefined> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      if (this.#s.domainUpdate.run(JSON.stringify(settings), updatedAt, domain, poolId).changes !== 1) return undefined;
      return domainFromRow(this.#s.domainGet.get(domain) as Row);
    });
  }

  async deleteDomain(poolId: string, domain: string): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      this.#ctx.cache.clear();
      return this.#s.domainDelete.run(domain, poolId).changes === 1;
    });
  }

  async createResourceServer(server: ResourceServerRecord): Promise<'created' | 'exists' | 'pool-not-found'> {
    return this.#ctx.writes.run(() => {
      if (!this.#s.poolGet.get(server.poolId)) return 'pool-not-found' as const;
      const r = this.#s.serverInsert.run(server.poolId, server.identifier, server.name, JSON.stringify(server.scopes), server.createdAt, server.updatedAt);
      return r.changes === 1 ? ('created' as const) : ('exists' as const);
    });
  }

  async getResourceServer(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined> {
    const row = this.#s.serverGet.get(poolId, identifier) as Row | undefined;
    return row && resourceServerFromRow(row);
  }

  async resourceServersOfPool(poolId: string): Promise<ResourceServerRecord[]> {
    return (this.#s.serversOfPool.all(poolId) as Row[]).map(resourceServerFromRow);
  }

  async listResourceServers(poolId: string, limit: number, cursor?: string): Promise<Page<ResourceServerRecord>> {
    const rows = this.#s.serverPage.all(poolId, decodeCursor(cursor) ?? '', limit + 1) as Row[];
    return page(rows.map(resourceServerFromRow), limit, (server) => server.identifier);
  }

  async updateResourceServer(server: ResourceServerRecord): Promise<boolean> {
    return this.#ctx.writes.run(
      () => this.#s.serverUpdate.run(server.name, JSON.stringify(server.scopes), server.updatedAt, server.poolId, server.identifier).changes === 1,
    );
  }

  async deleteResourceServer(poolId: string, identifier: string): Promise<boolean> {
    return this.#ctx.writes.run(() => this.#s.serverDelete.run(poolId, identifier).changes === 1);
  }

  #secretsOf(clientId: string): ClientSecretRecord[] {
    return (this.#s.secretsOf.all(clientId) as Row[]).map(secretFromRow);
  }
}
