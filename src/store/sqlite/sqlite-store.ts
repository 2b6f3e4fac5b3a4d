/** @module The SQLite store: better-sqlite3 with prepared statements and one IMMEDIATE transaction per intent. */
import type Database from 'better-sqlite3';
import type { ClientRecord, ClientSecretRecord, PoolRecord, UserRecord } from '../../domain/records.ts';
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
import { ConfigCache } from './config-cache.ts';
import { GroupCommitter } from './group-commit.ts';
import { openSqlite, type SqliteOptions } from './open.ts';
import { prepareStatements, type Statements } from './statements.ts';

type Row = Record<string, unknown>;

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #writes: GroupCommitter;
  readonly #cache = new ConfigCache();
  readonly #s: Statements;
  readonly #filters = new Map<string, Database.Statement>();

  constructor(options: SqliteOptions) {
    this.#db = openSqlite(options);
    this.#writes = new GroupCommitter(this.#db, options.onCommitBatch);
    this.#s = prepareStatements(this.#db);
  }

  async ping(): Promise<void> {
    this.#s.ping.get();
  }

  async schemaCurrent(): Promise<boolean> {
    return Number((this.#s.schemaVersion.get() as { v: number }).v) >= latestMigration('sqlite');
  }

  async close(): Promise<void> {
    this.#writes.drain();
    this.#db.close();
  }

  async wipe(): Promise<void> {
    await this.#writes.run(() => {
      this.#cache.clear();
      for (const table of ['outbox', 'sessions', 'attempts', 'signup_codes', 'aliases', 'users', 'client_secrets', 'clients', 'user_pools']) {
        this.#db.exec(`DELETE FROM ${table}`);
      }
    });
  }

  async metaGetOrSet(key: string, value: string): Promise<string> {
    return this.#writes.run(() => {
      this.#s.metaInsert.run(key, value);
      return String((this.#s.metaGet.get(key) as Row).value);
    });
  }

  async createUserPool(pool: PoolRecord): Promise<boolean> {
    return this.#writes.run(() => {
      this.#cache.clear();
      return this.#s.poolInsert.run(pool.id, pool.name, JSON.stringify(pool.settings), JSON.stringify(pool.limits), pool.createdAt, pool.updatedAt).changes === 1;
    });
  }

  async getUserPool(poolId: string): Promise<PoolRecord | undefined> {
    return this.#cache.pool(poolId, () => {
      const row = this.#s.poolGet.get(poolId) as Row | undefined;
      return row && poolFromRow(row);
    });
  }

  async listUserPools(limit: number, cursor?: string): Promise<Page<PoolRecord>> {
    const rows = this.#s.poolPage.all(decodeCursor(cursor) ?? '', limit + 1) as Row[];
    return page(rows.map(poolFromRow), limit, (pool) => pool.id);
  }

  async updateUserPool(pool: PoolRecord): Promise<boolean> {
    return this.#writes.run(() => {
      this.#cache.clear();
      return this.#s.poolUpdate.run(pool.name, JSON.stringify(pool.settings), JSON.stringify(pool.limits), pool.updatedAt, pool.id).changes === 1;
    });
  }

  async deleteUserPool(poolId: string): Promise<boolean> {
    return this.#writes.run(() => {
      this.#cache.clear();
      // Rows keyed by pool without a foreign key go first; the cascade takes the rest.
      this.#s.attemptsOfPoolDelete.run(poolId);
      this.#s.sessionsOfPoolDelete.run(poolId);
      return this.#s.poolDelete.run(poolId).changes === 1;
    });
  }

  async createClient(client: ClientRecord): Promise<boolean> {
    return this.#writes.run(() => {
      this.#cache.clear();
      // Checked in the write itself: the pool may have been deleted since the caller read it.
      if (!this.#s.poolGet.get(client.poolId)) return false;
      const r = this.#s.clientInsert.run(client.clientId, client.poolId, client.name, JSON.stringify(client.settings), client.createdAt, client.updatedAt);
      if (r.changes !== 1) return false;
      for (const secret of client.secrets) this.#s.secretInsert.run(secret.id, client.clientId, secret.sealed, secret.createdAt);
      return true;
    });
  }

  async getClient(clientId: string): Promise<ClientRecord | undefined> {
    return this.#cache.client(clientId, () => {
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
    return this.#writes.run(() => {
      this.#cache.clear();
      return this.#s.clientUpdate.run(client.name, JSON.stringify(client.settings), client.updatedAt, client.clientId).changes === 1;
    });
  }

  async deleteClient(poolId: string, clientId: string): Promise<boolean> {
    return this.#writes.run(() => {
      this.#cache.clear();
      return this.#s.clientDelete.run(poolId, clientId).changes === 1;
    });
  }

  async addClientSecret(clientId: string, secret: ClientSecretRecord, max: number): Promise<'added' | 'limit' | 'not-found'> {
    return this.#writes.run(() => {
      this.#cache.clear();
      if (!this.#s.clientGet.get(clientId)) return 'not-found' as const;
      if ((this.#s.secretCount.get(clientId) as { n: number }).n >= max) return 'limit' as const;
      this.#s.secretInsert.run(secret.id, clientId, secret.sealed, secret.createdAt);
      return 'added' as const;
    });
  }

  async deleteClientSecret(clientId: string, secretId: string): Promise<boolean> {
    return this.#writes.run(() => {
      this.#cache.clear();
      return this.#s.secretDelete.run(clientId, secretId).changes === 1;
    });
  }

  async insertUser(input: NewUser): Promise<InsertUserResult> {
    const { user } = input;
    return this.#writes.run((): InsertUserResult => {
      // The pool may have been deleted during the caller's password hashing and triggers.
      if (!this.#s.poolGet.get(user.poolId)) return { kind: 'pool-not-found' };
      for (const alias of input.aliases) {
        if (this.#s.aliasOwner.get(user.poolId, alias.attribute, alias.valueKey)) return { kind: 'alias-exists', attribute: alias.attribute };
      }
      const r = this.#s.userInsert.run(
        user.poolId, user.usernameKey, user.username, user.sub, user.status, user.enabled ? 1 : 0,
        JSON.stringify(user.attributes), user.passwordHash, user.createdAt, user.updatedAt,
      );
      if (r.changes !== 1) return { kind: 'username-exists' };
      for (const alias of input.aliases) this.#s.aliasInsert.run(user.poolId, alias.attribute, alias.valueKey, user.usernameKey);
      if (input.code) {
        const c = input.code;
        this.#s.codeUpsert.run(user.poolId, user.usernameKey, c.digest, c.deliveredTo, c.expiresAt, c.createdAt);
      }
      for (const m of input.messages) this.#insertMessage(m);
      if (input.session) this.#insertSession(input.session);
      return { kind: 'created' };
    });
  }

  async findUser(poolId: string, lookup: UserLookup): Promise<UserRecord | undefined> {
    let row = this.#s.userGet.get(poolId, lookup.usernameKey) as Row | undefined;
    for (const alias of lookup.aliases) {
      if (row) break;
      row = this.#s.userByAlias.get(poolId, alias.attribute, alias.valueKey) as Row | undefined;
    }
    row ??= this.#s.userBySub.get(poolId, lookup.sub) as Row | undefined;
    return row && userFromRow(row);
  }

  async getUser(poolId: string, usernameKey: string): Promise<UserRecord | undefined> {
    const row = this.#s.userGet.get(poolId, usernameKey) as Row | undefined;
    return row && userFromRow(row);
  }

  async listUsers(poolId: string, limit: number, cursor?: string, filter?: UserFilter): Promise<Page<UserRecord>> {
    const after = decodeCursor(cursor) ?? '';
    let rows: Row[];
    if (!filter) {
      rows = this.#s.userPage.all(poolId, after, limit + 1) as Row[];
    } else {
      const { clause, values } = filterClause(filter);
      rows = this.#filtered(clause).all(poolId, after, ...values, limit + 1) as Row[];
    }
    return page(rows.map(userFromRow), limit, (user) => user.usernameKey);
  }

  async setUserEnabled(poolId: string, usernameKey: string, enabled: boolean, now: number): Promise<boolean> {
    return this.#writes.run(() => this.#s.userEnable.run(enabled ? 1 : 0, now, poolId, usernameKey).changes === 1);
  }

  async deleteUser(poolId: string, usernameKey: string): Promise<boolean> {
    return this.#writes.run(() => {
      this.#s.attemptsOfUserDelete.run(poolId, usernameKey);
      this.#s.sessionsOfUserDelete.run(poolId, usernameKey);
      return this.#s.userDelete.run(poolId, usernameKey).changes === 1;
    });
  }

  async confirmSignUp(request: ConfirmRequest): Promise<ConfirmResult> {
    const { poolId, usernameKey, now } = request;
    return this.#writes.run((): ConfirmResult => {
      const row = this.#s.userGet.get(poolId, usernameKey) as Row | undefined;
      if (!row && !request.standIn) return { kind: 'not-found' };
      const user = row ? userFromRow(row) : request.standIn!.user;
      const attemptsInWindow = (this.#s.attemptCount.get(poolId, usernameKey, 'confirm', request.windowStart) as { n: number }).n;
      const codeRow = this.#s.codeGet.get(poolId, usernameKey) as Row | undefined;
      const code = !row
        ? request.standIn!.code
        : codeRow && {
            digest: String(codeRow.digest),
            deliveredTo: (codeRow.delivered_to ?? null) as 'email' | 'phone_number' | null,
            expiresAt: Number(codeRow.expires_at),
            createdAt: Number(codeRow.created_at),
          };
      const judgement = request.judge({ user, code, attemptsInWindow });
      if (judgement.kind === 'refuse') {
        if (judgement.countAttempt) this.#s.attemptInsert.run(poolId, usernameKey, 'confirm', now);
        // Housekeeping only where it matters: rows that left the window no longer count anyway.
        else if (judgement.reason === 'limited') this.#s.attemptPrune.run(poolId, usernameKey, 'confirm', request.windowStart);
        return { kind: 'refused', reason: judgement.reason, user };
      }
      if (!row) return { kind: 'not-found' };

      // Conflicts are found before anything changes, so a refusal leaves no partial effect.
      const taken: { alias: (typeof judgement.aliases)[number]; owner: string }[] = [];
      for (const alias of judgement.aliases) {
        const owner = this.#s.aliasOwner.get(poolId, alias.attribute, alias.valueKey) as Row | undefined;
        if (!owner || owner.username_key === usernameKey) continue;
        if (!request.forceAliasCreation) {
          if (judgement.countAttempt) this.#s.attemptInsert.run(poolId, usernameKey, 'confirm', now);
          return { kind: 'alias-conflict', attribute: alias.attribute, user };
        }
        taken.push({ alias, owner: String(owner.username_key) });
      }
      const attributes = { ...user.attributes };
      if (judgement.verify) attributes[`${judgement.verify}_verified`] = 'true';
      const r = this.#s.userConfirm.run(JSON.stringify(attributes), now, poolId, usernameKey);
      if (r.changes !== 1) return { kind: 'refused', reason: 'status', user };
      for (const { alias, owner } of taken) {
        this.#unverifyPreviousOwner(poolId, owner, alias.attribute, now);
        this.#s.aliasDelete.run(poolId, alias.attribute, alias.valueKey);
      }
      for (const alias of judgement.aliases) this.#s.aliasInsert.run(poolId, alias.attribute, alias.valueKey, usernameKey);
      if (request.consumeCode) this.#s.codeDelete.run(poolId, usernameKey);
      if (judgement.countAttempt) this.#s.attemptInsert.run(poolId, usernameKey, 'confirm', now);
      if (request.session) this.#insertSession(request.session);
      return { kind: 'confirmed', user: { ...user, status: 'CONFIRMED', attributes, updatedAt: now } };
    });
  }

  async reissueSignUpCode(request: ReissueRequest): Promise<ReissueResult> {
    const { poolId, usernameKey, now } = request;
    return this.#writes.run((): ReissueResult => {
      const row = this.#s.userGet.get(poolId, usernameKey) as Row | undefined;
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      if (user.status !== 'UNCONFIRMED') return { kind: 'not-unconfirmed', user };
      const n = (this.#s.attemptCount.get(poolId, usernameKey, 'resend', request.windowStart) as { n: number }).n;
      if (n >= request.limit) {
        this.#s.attemptPrune.run(poolId, usernameKey, 'resend', request.windowStart);
        return { kind: 'limited' };
      }
      this.#s.attemptInsert.run(poolId, usernameKey, 'resend', now);
      const c = request.code;
      this.#s.codeUpsert.run(poolId, usernameKey, c.digest, c.deliveredTo, c.expiresAt, c.createdAt);
      for (const m of request.messages) this.#insertMessage(m);
      return { kind: 'issued', user };
    });
  }

  async reinviteUser(request: ReinviteRequest): Promise<ReinviteResult> {
    const { poolId, usernameKey, now } = request;
    return this.#writes.run((): ReinviteResult => {
      const row = this.#s.userGet.get(poolId, usernameKey) as Row | undefined;
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      if (this.#s.userReinvite.run(request.passwordHash, now, poolId, usernameKey).changes !== 1) return { kind: 'not-invited', user };
      for (const m of request.messages) this.#insertMessage(m);
      return { kind: 'reinvited', user: { ...user, passwordHash: request.passwordHash, updatedAt: now } };
    });
  }

  async claimOutbox(now: number, limit: number, leaseMs: number) {
    return this.#writes.run(() => {
      const ids = this.#s.outboxDue.all(now, now, limit) as { id: number }[];
      return ids.map(({ id }) => outboxFromRow(this.#s.outboxLease.get(now + leaseMs, id) as Row));
    });
  }

  async markOutboxSent(id: number, now: number): Promise<void> {
    await this.#writes.run(() => this.#s.outboxSent.run(now, id));
  }

  async markOutboxFailed(id: number, error: string, retryAt: number | null): Promise<void> {
    await this.#writes.run(() => this.#s.outboxFailed.run(retryAt === null ? 'failed' : 'pending', error, retryAt, id));
  }

  async outboxPending(): Promise<{ count: number; oldestCreatedAt: number | null }> {
    const row = this.#s.outboxPending.get() as { n: number; oldest: number | null };
    return { count: Number(row.n), oldestCreatedAt: row.oldest === null ? null : Number(row.oldest) };
  }

  async listOutbox(query: OutboxQuery) {
    const rows =
      query.poolId && query.username
        ? this.#s.outboxByPoolUser.all(query.poolId, query.username)
        : query.poolId
          ? this.#s.outboxByPool.all(query.poolId)
          : query.username
            ? this.#s.outboxByUser.all(query.username)
            : this.#s.outboxAll.all();
    return (rows as Row[]).map(outboxFromRow);
  }

  /** One prepared statement per filter shape; there are only a handful, since values are bound. */
  #filtered(clause: string): Database.Statement {
    let statement = this.#filters.get(clause);
    if (!statement) {
      statement = this.#db.prepare(`SELECT * FROM users WHERE pool_id = ? AND username_key > ? AND ${clause} ORDER BY username_key LIMIT ?`);
      this.#filters.set(clause, statement);
    }
    return statement;
  }

  #secretsOf(clientId: string): ClientSecretRecord[] {
    return (this.#s.secretsOf.all(clientId) as Row[]).map(secretFromRow);
  }

  #insertMessage(m: NewUser['messages'][number]): void {
    this.#s.outboxInsert.run(m.poolId, m.username, m.medium, m.destination, m.sealedPayload, m.createdAt, m.createdAt);
  }

  #insertSession(s: NonNullable<NewUser['session']>): void {
    this.#s.sessionInsert.run(s.digest, s.poolId, s.usernameKey, s.clientId, s.expiresAt);
  }

  #unverifyPreviousOwner(poolId: string, ownerKey: string, attribute: string, now: number): void {
    if (attribute === 'preferred_username') return;
    const owner = this.#s.userGet.get(poolId, ownerKey) as Row | undefined;
    if (!owner) return;
    const attributes = { ...userFromRow(owner).attributes, [`${attribute}_verified`]: 'false' };
    this.#s.userSetAttributes.run(JSON.stringify(attributes), now, poolId, ownerKey);
  }
}

function filterClause(filter: UserFilter): { clause: string; values: (string | number)[] } {
  if (filter.attribute === 'status') return { clause: 'enabled = ?', values: [filter.value === 'Enabled' ? 1 : 0] };
  // Attribute names reach SQL only as a bound JSON path, never spliced in.
  const column = columnFilters[filter.attribute] ?? `json_extract(attributes, '$."' || ? || '"')`;
  const lead = columnFilters[filter.attribute] ? [] : [filter.attribute];
  return filter.prefix
    ? { clause: `substr(${column}, 1, ?) = ?`, values: [...lead, filter.value.length, filter.value] }
    : { clause: `${column} = ?`, values: [...lead, filter.value] };
}
