/**
 * @module The PostgreSQL store: the SQLite store's semantics on a shared database, so several
 * stateless instances can serve one user pool. Counted calls lock the user row (`FOR UPDATE`),
 * alias values are claimed under advisory locks, and the outbox is leased with `SKIP LOCKED`.
 */
import pg from 'pg';
import type { AliasClaim, ClientRecord, ClientSecretRecord, OutboxRow, PoolRecord, UserRecord } from '../../domain/records.ts';
import { decodeCursor, page } from '../cursor.ts';
import { latestMigration } from '../migrations.ts';
import { clientFromRow, columnFilters, outboxFromRow, poolFromRow, secretFromRow, userFromRow } from '../rows.ts';
import type {
  ConfirmRequest,
  ConfirmResult,
  InsertUserResult,
  NewUser,
  OutboxQuery,
  Page,
  ReinviteRequest,
  ReinviteResult,
  ReissueRequest,
  ReissueResult,
  Store,
  UserFilter,
  UserLookup,
} from '../store.ts';
import { migrate, parseDatabaseUrl } from './connect.ts';
import { q, USER_COLUMNS } from './statements.ts';
import { first, inTransaction, Rollback } from './transaction.ts';

type Row = Record<string, unknown>;
type Db = pg.Pool | pg.PoolClient;

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  #closing?: Promise<void>;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
    // An idle connection that dies (database restart, network cut) is dropped by the pool and
    // reported here; the next request opens a fresh one, so there is nothing else to do.
    this.#pool.on('error', () => {});
  }

  /** Connects, applies pending migrations and checks one round trip before the server listens. */
  static async connect(url: string): Promise<PostgresStore> {
    const settings = parseDatabaseUrl(url);
    await migrate(settings);
    const store = new PostgresStore(new pg.Pool(settings.pool));
    try {
      await store.ping();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async ping(): Promise<void> {
    await this.#pool.query(q('ping'));
  }

  async schemaCurrent(): Promise<boolean> {
    const row = await first(this.#pool, q('schemaVersion', []));
    return Number(row?.v ?? 0) >= latestMigration('postgres');
  }

  close(): Promise<void> {
    return (this.#closing ??= this.#pool.end());
  }

  async wipe(): Promise<void> {
    await this.#pool.query('TRUNCATE outbox, sessions, attempts, signup_codes, aliases, users, client_secrets, clients, user_pools');
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

  async deleteUserPool(poolId: string): Promise<boolean> {
    return inTransaction(this.#pool, async (c) => {
      // Rows keyed by pool without a foreign key go first; the cascade takes the rest.
      await c.query(q('poolAttemptsDelete', [poolId]));
      await c.query(q('poolSessionsDelete', [poolId]));
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

  async insertUser(input: NewUser): Promise<InsertUserResult> {
    const { user } = input;
    return orIfPoolGone<InsertUserResult>({ kind: 'pool-not-found' }, () => inTransaction(this.#pool, async (c): Promise<InsertUserResult> => {
      await lockAliases(c, user.poolId, input.aliases);
      for (const alias of input.aliases) {
        if (await first(c, q('aliasOwner', [user.poolId, alias.attribute, alias.valueKey]))) return { kind: 'alias-exists', attribute: alias.attribute };
      }
      // ON CONFLICT waits for a concurrent insert of the same username to finish, then yields to it.
      const values = [
        user.poolId, user.usernameKey, user.username, user.sub, user.status, user.enabled,
        JSON.stringify(user.attributes), user.passwordHash, user.createdAt, user.updatedAt,
      ];
      if ((await c.query(q('userInsert', values))).rowCount !== 1) return { kind: 'username-exists' };
      for (const alias of input.aliases) {
        const claimed = await c.query(q('aliasInsert', [user.poolId, alias.attribute, alias.valueKey, user.usernameKey]));
        if (claimed.rowCount !== 1) throw new Rollback<InsertUserResult>({ kind: 'alias-exists', attribute: alias.attribute });
      }
      if (input.code) {
        const k = input.code;
        await c.query(q('codeUpsert', [user.poolId, user.usernameKey, k.digest, k.deliveredTo, k.expiresAt, k.createdAt]));
      }
      for (const m of input.messages) await insertMessage(c, m);
      if (input.session) await insertSession(c, input.session);
      return { kind: 'created' };
    }));
  }

  async findUser(poolId: string, lookup: UserLookup): Promise<UserRecord | undefined> {
    let row = await first(this.#pool, q('userGet', [poolId, lookup.usernameKey]));
    for (const alias of lookup.aliases) {
      if (row) break;
      row = await first(this.#pool, q('userByAlias', [poolId, alias.attribute, alias.valueKey]));
    }
    row ??= await first(this.#pool, q('userBySub', [poolId, lookup.sub]));
    return row && userFromRow(row);
  }

  async getUser(poolId: string, usernameKey: string): Promise<UserRecord | undefined> {
    const row = await first(this.#pool, q('userGet', [poolId, usernameKey]));
    return row && userFromRow(row);
  }

  async listUsers(poolId: string, limit: number, cursor?: string, filter?: UserFilter): Promise<Page<UserRecord>> {
    const after = decodeCursor(cursor) ?? '';
    if (filter && holdsNul(filter.value)) return { items: [] };
    let rows: Row[];
    if (!filter) {
      rows = (await this.#pool.query(q('userPage', [poolId, after, limit + 1]))).rows;
    } else {
      const { clause, values } = filterClause(filter, 3);
      const text = `SELECT ${USER_COLUMNS} FROM users WHERE pool_id = $1 AND username_key > $2 AND ${clause} ORDER BY username_key LIMIT $${3 + values.length}`;
      rows = (await this.#pool.query(text, [poolId, after, ...values, limit + 1])).rows;
    }
    return page(rows.map(userFromRow), limit, (user) => user.usernameKey);
  }

  async setUserEnabled(poolId: string, usernameKey: string, enabled: boolean, now: number): Promise<boolean> {
    return (await this.#pool.query(q('userEnable', [enabled, now, poolId, usernameKey]))).rowCount === 1;
  }

  async deleteUser(poolId: string, usernameKey: string): Promise<boolean> {
    return inTransaction(this.#pool, async (c) => {
      await c.query(q('userAttemptsDelete', [poolId, usernameKey]));
      await c.query(q('userSessionsDelete', [poolId, usernameKey]));
      return (await c.query(q('userDelete', [poolId, usernameKey]))).rowCount === 1;
    });
  }

  async confirmSignUp(request: ConfirmRequest): Promise<ConfirmResult> {
    const { poolId, usernameKey, now } = request;
    return inTransaction(this.#pool, async (c): Promise<ConfirmResult> => {
      const row = await first(c, q('userLock', [poolId, usernameKey]));
      if (!row && !request.standIn) return { kind: 'not-found' };
      const user = row ? userFromRow(row) : request.standIn!.user;
      const state = (await first(c, q('attemptsAndCode', [poolId, usernameKey, 'confirm', request.windowStart]))) as Row;
      const code = !row
        ? request.standIn!.code
        : state.digest == null
          ? undefined
          : {
              digest: String(state.digest),
              deliveredTo: (state.delivered_to ?? null) as 'email' | 'phone_number' | null,
              expiresAt: Number(state.expires_at),
              createdAt: Number(state.code_created_at),
            };
      const judgement = request.judge({ user, code, attemptsInWindow: Number(state.n) });
      if (judgement.countAttempt) await c.query(q('attemptInsert', [poolId, usernameKey, 'confirm', now]));
      if (judgement.kind === 'refuse') return { kind: 'refused', reason: judgement.reason, user };
      if (!row) return { kind: 'not-found' };

      await lockAliases(c, poolId, judgement.aliases);
      for (const alias of judgement.aliases) {
        const owner = await first(c, q('aliasOwner', [poolId, alias.attribute, alias.valueKey]));
        if (!owner || owner.username_key === usernameKey) continue;
        if (!request.forceAliasCreation) return { kind: 'alias-conflict', attribute: alias.attribute, user };
        await unverifyPreviousOwner(c, poolId, String(owner.username_key), alias.attribute, now);
        await c.query(q('aliasDelete', [poolId, alias.attribute, alias.valueKey]));
      }
      const attributes = { ...user.attributes };
      if (judgement.verify) attributes[`${judgement.verify}_verified`] = 'true';
      const confirmed = await c.query(q('userConfirm', [JSON.stringify(attributes), now, poolId, usernameKey]));
      // Unreachable while the row is locked and judged; if it ever happens, undo the alias moves too.
      if (confirmed.rowCount !== 1) throw new Rollback<ConfirmResult>({ kind: 'refused', reason: 'status', user });
      for (const alias of judgement.aliases) await c.query(q('aliasInsert', [poolId, alias.attribute, alias.valueKey, usernameKey]));
      if (request.consumeCode) await c.query(q('codeDelete', [poolId, usernameKey]));
      if (request.session) await insertSession(c, request.session);
      return { kind: 'confirmed', user: { ...user, status: 'CONFIRMED', attributes, updatedAt: now } };
    });
  }

  async reissueSignUpCode(request: ReissueRequest): Promise<ReissueResult> {
    const { poolId, usernameKey, now } = request;
    return inTransaction(this.#pool, async (c): Promise<ReissueResult> => {
      const row = await first(c, q('userLock', [poolId, usernameKey]));
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      if (user.status !== 'UNCONFIRMED') return { kind: 'not-unconfirmed', user };
      const state = (await first(c, q('attemptsAndCode', [poolId, usernameKey, 'resend', request.windowStart]))) as Row;
      if (Number(state.n) >= request.limit) return { kind: 'limited' };
      await c.query(q('attemptInsert', [poolId, usernameKey, 'resend', now]));
      const k = request.code;
      await c.query(q('codeUpsert', [poolId, usernameKey, k.digest, k.deliveredTo, k.expiresAt, k.createdAt]));
      for (const m of request.messages) await insertMessage(c, m);
      return { kind: 'issued', user };
    });
  }

  async reinviteUser(request: ReinviteRequest): Promise<ReinviteResult> {
    const { poolId, usernameKey, now } = request;
    return inTransaction(this.#pool, async (c): Promise<ReinviteResult> => {
      const row = await first(c, q('userLock', [poolId, usernameKey]));
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      if ((await c.query(q('userReinvite', [request.passwordHash, now, poolId, usernameKey]))).rowCount !== 1) return { kind: 'not-invited', user };
      for (const m of request.messages) await insertMessage(c, m);
      return { kind: 'reinvited', user: { ...user, passwordHash: request.passwordHash, updatedAt: now } };
    });
  }

  async claimOutbox(now: number, limit: number, leaseMs: number): Promise<OutboxRow[]> {
    const { rows } = await this.#pool.query(q('outboxClaim', [now, limit, now + leaseMs]));
    return rows.map(outboxFromRow).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
  }

  async markOutboxSent(id: number, now: number): Promise<void> {
    await this.#pool.query(q('outboxSent', [now, id]));
  }

  async markOutboxFailed(id: number, error: string, retryAt: number | null): Promise<void> {
    await this.#pool.query(q('outboxFailed', [retryAt === null ? 'failed' : 'pending', error, retryAt, id]));
  }

  async outboxPending(): Promise<{ count: number; oldestCreatedAt: number | null }> {
    const row = await first(this.#pool, q('outboxPending'));
    return { count: Number(row?.n ?? 0), oldestCreatedAt: row?.oldest == null ? null : Number(row.oldest) };
  }

  async listOutbox(query: OutboxQuery): Promise<OutboxRow[]> {
    if (holdsNul(query.poolId ?? '') || holdsNul(query.username ?? '')) return [];
    const statement =
      query.poolId && query.username
        ? q('outboxByPoolUser', [query.poolId, query.username])
        : query.poolId
          ? q('outboxByPool', [query.poolId])
          : query.username
            ? q('outboxByUser', [query.username])
            : q('outboxAll');
    return (await this.#pool.query(statement)).rows.map(outboxFromRow);
  }
}

/**
 * PostgreSQL text cannot hold U+0000 and refuses any parameter that has one; since no stored value
 * can contain it, a lookup by such a value simply finds nothing.
 */
function holdsNul(value: string): boolean {
  return value.includes('\u0000');
}

/**
 * A pool deleted between the caller's lookup and this insert fails the foreign key; that is the
 * database settling the race, so it becomes the store's answer for a missing pool, not an error.
 */
async function orIfPoolGone<T>(gone: T, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.code === '23503' && error.constraint?.endsWith('pool_id_fkey')) return gone;
    throw error;
  }
}

function clientWithSecrets(row: Row): ClientRecord {
  return clientFromRow(row, (row.secrets as Row[]).map(secretFromRow));
}

/** Takes the alias locks in one global order, so two transactions claiming the same values cannot deadlock. */
async function lockAliases(c: pg.PoolClient, poolId: string, aliases: readonly AliasClaim[]): Promise<void> {
  const keys = aliases.map((a) => JSON.stringify([poolId, a.attribute, a.valueKey])).sort();
  for (const key of keys) await c.query(q('aliasLock', [key]));
}

async function insertMessage(c: Db, m: NewUser['messages'][number]): Promise<void> {
  await c.query(q('outboxInsert', [m.poolId, m.username, m.medium, m.destination, m.sealedPayload, m.createdAt, m.createdAt]));
}

async function insertSession(c: Db, s: NonNullable<NewUser['session']>): Promise<void> {
  await c.query(q('sessionUpsert', [s.digest, s.poolId, s.usernameKey, s.clientId, s.expiresAt]));
}

/** Spec §5.3: a forced alias move leaves the previous owner's attribute unverified. */
async function unverifyPreviousOwner(c: pg.PoolClient, poolId: string, ownerKey: string, attribute: string, now: number): Promise<void> {
  if (attribute === 'preferred_username') return;
  const owner = await first(c, q('userLock', [poolId, ownerKey]));
  if (!owner) return;
  const attributes = { ...userFromRow(owner).attributes, [`${attribute}_verified`]: 'false' };
  await c.query(q('userSetAttributes', [JSON.stringify(attributes), now, poolId, ownerKey]));
}

function filterClause(filter: UserFilter, next: number): { clause: string; values: (string | boolean)[] } {
  if (filter.attribute === 'status') return { clause: `enabled = $${next}`, values: [filter.value === 'Enabled'] };
  // Attribute names reach SQL only as a bound parameter, never spliced in.
  const column = columnFilters[filter.attribute];
  const target = column ?? `(attributes ->> $${next}::text)`;
  const lead = column ? [] : [filter.attribute];
  const at = next + lead.length;
  return filter.prefix
    ? { clause: `left(${target}, char_length($${at}::text)) = $${at}::text`, values: [...lead, filter.value] }
    : { clause: `${target} = $${at}::text`, values: [...lead, filter.value] };
}
