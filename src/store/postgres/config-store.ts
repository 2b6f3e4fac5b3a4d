/** @module The PostgreSQL config aggregate: pools, clients and their secrets, domains and resource servers, meta, and the wipe. Nothing is cached: other instances write too. */
import type pg from 'pg';
import { domainFromRow, resourceServerFromRow, type DomainRecord, type ResourceServerRecord } from '../../domain/oauth/records.ts';
import type { ClientRecord, ClientSecretRecord, PoolRecord } from '../../domain/records.ts';
import type { ConfigStore, DomainCreation, PoolAmendment, PoolAmendmentResult } from '../config-store.ts';
import { decodeCursor, page, type Page } from '../cursor.ts';
import { clientFromRow, poolFromRow, secretFromRow } from '../rows.ts';
import { CONFIG_TABLES, q } from './config-statements.ts';
import { first, type PoolScoped, type Row } from './context.ts';
import { holdsNul, orIfPoolGone } from './guards.ts';
import { inTransaction } from './transaction.ts';

export class PostgresConfigStore implements ConfigStore {
  readonly #pool: pg.Pool;
  readonly #others: readonly PoolScoped[];
  readonly #truncate: string;

  /** `others`: the aggregates whose rows go with a pool. */
  constructor(pool: pg.Pool, others: readonly PoolScoped[]) {
    this.#pool = pool;
    this.#others = others;
    this.#truncate = `TRUNCATE ${[...others.flatMap((o) => o.tables), ...CONFIG_TABLES].join(', ')}`;
  }

  async wipe(): Promise<void> {
    await this.#pool.query(this.#truncate);
  }

  async metaGetOrSet(key: string, value: string): Promise<string> {
    await this.#pool.query(q('metaInsert', [key, value]));
    return String((await first(this.#pool, q('metaGet', [key])))?.value);
  }

  async createUserPool(pool: PoolRecord): Promise<boolean> {
    const values = [pool.id, pool.name, JSON.stringify(pool.settings), JSON.stringify(pool.limits), pool.createdAt, pool.updatedAt];
    return (await this.#pool.query(q('poolInsert', values))).rowCount === 1;
  }

  async getUserPool(poolId: string): Promise<PoolRecord | undefined> {
    const row = await first(this.#pool, q('poolGet', [poolId]));
    return row && poolFromRow(row);
  }

  async listUserPools(limit: number, cursor?: string): Promise<Page<PoolRecord>> {
    const { rows } = await this.#pool.query(q('poolPage', [decodeCursor(cursor) ?? '', limit + 1]));
    return page(rows.map(poolFromRow), limit, (pool) => pool.id);
  }

  async updateUserPool(pool: PoolRecord): Promise<boolean> {
    const values = [pool.name, JSON.stringify(pool.settings), JSON.stringify(pool.limits), pool.updatedAt, pool.id];
    return (await this.#pool.query(q('poolUpdate', values))).rowCount === 1;
  }

  async amendUserPool<R>(poolId: string, updatedAt: number, judge: (pool: PoolRecord) => PoolAmendment<R>): Promise<PoolAmendmentResult<R>> {
    return inTransaction(this.#pool, async (c): Promise<PoolAmendmentResult<R>> => {
      // The row lock makes read-judge-write one step against every other instance changing the pool.
      const row = await first(c, q('poolLock', [poolId]));
      if (!row) return { kind: 'not-found' };
      const pool = poolFromRow(row);
      const decision = judge(pool);
      if (decision.kind === 'refuse') return { kind: 'refused', reason: decision.reason };
      const amended = { ...pool, settings: decision.settings, updatedAt };
      await c.query(q('poolUpdate', [amended.name, JSON.stringify(amended.settings), JSON.stringify(amended.limits), amended.updatedAt, amended.id]));
      return { kind: 'amended', pool: amended };
    });
  }

  async deleteUserPool(poolId: string): Promise<boolean> {
    return inTransaction(this.#pool, async (c) => {
      // Rows keyed by pool without a foreign key go first; the cascade takes the rest.
      for (const other of this.#others) await other.forgetPool?.(c, poolId);
      return (await c.query(q('poolDelete', [poolId]))).rowCount === 1;
    });
  }

  async createClient(client: ClientRecord): Promise<boolean> {
    return orIfPoolGone(false, () =>
      inTransaction(this.#pool, async (c) => {
        const values = [client.clientId, client.poolId, client.name, JSON.stringify(client.settings), client.createdAt, client.updatedAt];
        if ((await c.query(q('clientInsert', values))).rowCount !== 1) return false;
        for (const secret of client.secrets) await c.query(q('secretInsert', [secret.id, client.clientId, secret.sealed, secret.createdAt]));
        return true;
      }),
    );
  }

  async getClient(clientId: string): Promise<ClientRecord | undefined> {
    const row = await first(this.#pool, q('clientGet', [clientId]));
    return row && clientWithSecrets(row);
  }

  async listClients(poolId: string, limit: number, cursor?: string): Promise<Page<ClientRecord>> {
    const { rows } = await this.#pool.query(q('clientPage', [poolId, decodeCursor(cursor) ?? '', limit + 1]));
    return page(rows.map(clientWithSecrets), limit, (client) => client.clientId);
  }

  async updateClient(client: ClientRecord): Promise<boolean> {
    const values = [client.name, JSON.stringify(client.settings), client.updatedAt, client.clientId];
    return (await this.#pool.query(q('clientUpdate', values))).rowCount === 1;
  }

  async deleteClient(poolId: string, clientId: string): Promise<boolean> {
    return (await this.#pool.query(q('clientDelete', [poolId, clientId]))).rowCount === 1;
  }

  async addClientSecret(clientId: string, secret: ClientSecretRecord, max: number): Promise<'added' | 'limit' | 'not-found'> {
    return inTransaction(this.#pool, async (c) => {
      // Locking the client row makes count-then-insert atomic against another instance doing the same.
      if ((await c.query(q('clientLock', [clientId]))).rowCount === 0) return 'not-found' as const;
      if (Number((await first(c, q('secretCount', [clientId])))?.n) >= max) return 'limit' as const;
      await c.query(q('secretInsert', [secret.id, clientId, secret.sealed, secret.createdAt]));
      return 'added' as const;
    });
  }

  async deleteClientSecret(clientId: string, secretId: string): Promise<boolean> {
    if (holdsNul(secretId)) return false;
    return (await this.#pool.query(q('secretDelete', [clientId, secretId]))).rowCount === 1;
  }

  async createDomain(domain: DomainRecord): Promise<DomainCreation> {
    if (holdsNul(domain.domain)) return 'name-taken';
    return orIfPoolGone<DomainCreation>('pool-not-found', () =>
      inTransaction(this.#pool, async (c): Promise<DomainCreation> => {
        const values = [domain.domain, domain.poolId, domain.kind, JSON.stringify(domain.settings), domain.createdAt, domain.updatedAt];
        if ((await c.query(q('domainInsert', values))).rowCount === 1) return 'created';
        return (await first(c, q('domainGet', [domain.domain]))) ? 'name-taken' : 'pool-has-one';
      }),
    );
  }

  async getDomain(domain: string): Promise<DomainRecord | undefined> {
    if (holdsNul(domain)) return undefined;
    const row = await first(this.#pool, q('domainGet', [domain]));
    return row && domainFromRow(row);
  }

  async domainsOfPool(poolId: string): Promise<DomainRecord[]> {
    return (await this.#pool.query(q('domainsOfPool', [poolId]))).rows.map(domainFromRow);
  }

  async updateDomain(poolId: string, domain: string, settings: Record<string, unknown>, updatedAt: number): Promise<DomainRecord | undefined> {
    if (holdsNul(domain)) return undefined;
    const row = await first(this.#pool, q('domainUpdate', [JSON.stringify(settings), updatedAt, domain, poolId]));
    return row && domainFromRow(row);
  }

  async deleteDomain(poolId: string, domain: string): Promise<boolean> {
    if (holdsNul(domain)) return false;
    return (await this.#pool.query(q('domainDelete', [domain, poolId]))).rowCount === 1;
  }

  async createResourceServer(server: ResourceServerRecord): Promise<'created' | 'exists' | 'pool-not-found'> {
    const values = [server.poolId, server.identifier, server.name, JSON.stringify(server.scopes), server.createdAt, server.updatedAt];
    return orIfPoolGone('pool-not-found' as const, async () => ((await this.#pool.query(q('serverInsert', values))).rowCount === 1 ? ('created' as const) : ('exists' as const)));
  }

  async getResourceServer(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined> {
    if (holdsNul(identifier)) return undefined;
    const row = await first(this.#pool, q('serverGet', [poolId, identifier]));
    return row && resourceServerFromRow(row);
  }

  async resourceServersOfPool(poolId: string): Promise<ResourceServerRecord[]> {
    return (await this.#pool.query(q('serversOfPool', [poolId]))).rows.map(resourceServerFromRow);
  }

  async listResourceServers(poolId: string, limit: number, cursor?: string): Promise<Page<ResourceServerRecord>> {
    const { rows } = await this.#pool.query(q('serverPage', [poolId, decodeCursor(cursor) ?? '', limit + 1]));
    return page(rows.map(resourceServerFromRow), limit, (server) => server.identifier);
  }

  async updateResourceServer(server: ResourceServerRecord): Promise<boolean> {
    const values = [server.name, JSON.stringify(server.scopes), server.updatedAt, server.poolId, server.identifier];
    return (await this.#pool.query(q('serverUpdate', values))).rowCount === 1;
  }

  async deleteResourceServer(poolId: string, identifier: string): Promise<boolean> {
    if (holdsNul(identifier)) return false;
    return (await this.#pool.query(q('serverDelete', [poolId, identifier]))).rowCount === 1;
  }
}

function clientWithSecrets(row: Row): ClientRecord {
  return clientFromRow(row, (row.secrets as Row[]).map(secretFromRow));
}
