/**
 * @module The SQLite users-and-codes aggregate. Every counted intent runs as one write inside the
 * group commit: the batch holds SQLite's only write lock, so reading the user, counting attempts,
 * judging and writing cannot interleave with another write, in this process or another.
 */
import type Database from 'better-sqlite3';
import type { AliasClaim, UserRecord } from '../../domain/records.ts';
import { decodeCursor, page, type Page } from '../cursor.ts';
import { columnFilters, confirmedAtInsert, passwordSetAt, userFromRow } from '../rows.ts';
import { CONFIRMED_SIGN_UP_CHALLENGE, SIGN_UP_CHALLENGE, signUpSession } from '../sign-in-store.ts';
import type {
  ConfirmRequest,
  ConfirmResult,
  InsertUserResult,
  NewUser,
  ReinviteRequest,
  ReinviteResult,
  ReissueRequest,
  ReissueResult,
  UserFilter,
  UserLookup,
  UserStore,
} from '../user-store.ts';
import { prepareAll, type PoolScoped, type Row, type SqliteContext } from './context.ts';
import type { SqliteOutboxStore } from './outbox-store.ts';
import type { SqliteSessionStore } from './session-store.ts';
import { filteredUserPage, userSql } from './user-statements.ts';
import { importUsers } from './user-import.ts';

export interface UserNeighbours {
  outbox: SqliteOutboxStore;
  sessions: SqliteSessionStore;
}

export class SqliteUserStore implements UserStore, PoolScoped {
  readonly tables = ['attempts', 'signup_codes', 'aliases', 'users'] as const;
  readonly #ctx: SqliteContext;
  readonly #s;
  readonly #outbox: SqliteOutboxStore;
  readonly #sessions: SqliteSessionStore;
  readonly #filters = new Map<string, Database.Statement>();

  constructor(ctx: SqliteContext, neighbours: UserNeighbours) {
    this.#ctx = ctx;
    this.#s = prepareAll(ctx.db, userSql);
    this.#outbox = neighbours.outbox;
    this.#sessions = neighbours.sessions;
  }

  /** Attempts have no foreign key: they are also counted for names that belong to no user. */
  forgetPool(poolId: string): void {
    this.#s.attemptsOfPoolDelete.run(poolId);
  }

  async insertUser(input: NewUser): Promise<InsertUserResult> {
    const { user } = input;
    return this.#ctx.writes.run((): InsertUserResult => {
      // The pool may have been deleted during the caller's password hashing and triggers.
      if (!this.#s.poolExists.get(user.poolId)) return { kind: 'pool-not-found' };
      for (const alias of input.aliases) {
        if (this.#s.aliasOwner.get(user.poolId, alias.attribute, alias.valueKey)) return { kind: 'alias-exists', attribute: alias.attribute };
      }
      const r = this.#s.userInsert.run(
        user.poolId, user.usernameKey, user.username, user.sub, user.status, user.enabled ? 1 : 0, JSON.stringify(user.attributes),
        user.passwordHash, input.srp?.salt ?? null, input.srp?.sealedVerifier ?? null, passwordSetAt(input), user.createdAt, user.updatedAt, confirmedAtInsert(user),
      );
      if (r.changes !== 1) return { kind: 'username-exists' };
      for (const alias of input.aliases) this.#s.aliasInsert.run(user.poolId, alias.attribute, alias.valueKey, user.usernameKey);
      if (input.code) {
        const c = input.code;
        this.#s.codeUpsert.run(user.poolId, user.usernameKey, c.digest, c.deliveredTo, c.expiresAt, c.createdAt);
      }
      for (const m of input.messages) this.#outbox.enqueue(m);
      if (input.session) this.#sessions.insertSession(signUpSession(input.session, SIGN_UP_CHALLENGE, user.createdAt));
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

  async usersWatermark(poolId: string): Promise<string> {
    const row = this.#s.usersWatermark.get(poolId) as Row;
    return `${Number(row.n)}:${Number(row.at)}`;
  }

  async countUsers(poolId: string): Promise<number> {
    return Number((this.#s.userCount.get(poolId) as Row).n);
  }

  async setUserEnabled(poolId: string, usernameKey: string, enabled: boolean, now: number): Promise<boolean> {
    return this.#ctx.writes.run(() => this.#s.userEnable.run(enabled ? 1 : 0, now, poolId, usernameKey).changes === 1);
  }

  async deleteUser(poolId: string, usernameKey: string): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      this.#s.attemptsOfUserDelete.run(poolId, usernameKey);
      this.#sessions.forgetUser(poolId, usernameKey);
      return this.#s.userDelete.run(poolId, usernameKey).changes === 1;
    });
  }

  async confirmSignUp(request: ConfirmRequest): Promise<ConfirmResult> {
    const { poolId, usernameKey, now } = request;
    return this.#ctx.writes.run((): ConfirmResult => {
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
      const r = this.#s.userConfirm.run(JSON.stringify(attributes), now, now, poolId, usernameKey);
      if (r.changes !== 1) return { kind: 'refused', reason: 'status', user };
      for (const { alias, owner } of taken) {
        this.#unverifyPreviousOwner(poolId, owner, alias.attribute, now);
        this.#s.aliasDelete.run(poolId, alias.attribute, alias.valueKey);
      }
      for (const alias of judgement.aliases) this.#s.aliasInsert.run(poolId, alias.attribute, alias.valueKey, usernameKey);
      if (request.consumeCode) this.#s.codeDelete.run(poolId, usernameKey);
      if (judgement.countAttempt) this.#s.attemptInsert.run(poolId, usernameKey, 'confirm', now);
      if (request.session) this.#sessions.insertSession(signUpSession(request.session, CONFIRMED_SIGN_UP_CHALLENGE, now));
      return { kind: 'confirmed', user: { ...user, status: 'CONFIRMED', attributes, updatedAt: now, confirmedAt: now } };
    });
  }

  async reissueSignUpCode(request: ReissueRequest): Promise<ReissueResult> {
    const { poolId, usernameKey, now } = request;
    return this.#ctx.writes.run((): ReissueResult => {
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
      for (const m of request.messages) this.#outbox.enqueue(m);
      return { kind: 'issued', user };
    });
  }

  async reinviteUser(request: ReinviteRequest): Promise<ReinviteResult> {
    const { poolId, usernameKey, now } = request;
    return this.#ctx.writes.run((): ReinviteResult => {
      const row = this.#s.userGet.get(poolId, usernameKey) as Row | undefined;
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      const { srp } = request;
      const set = [request.passwordHash, srp?.salt ?? null, srp?.sealedVerifier ?? null, request.passwordSetAt ?? now, now];
      if (this.#s.userReinvite.run(...set, poolId, usernameKey).changes !== 1) return { kind: 'not-invited', user };
      for (const m of request.messages) this.#outbox.enqueue(m);
      return { kind: 'reinvited', user: { ...user, passwordHash: request.passwordHash, updatedAt: now } };
    });
  }

  /** One prepared statement per filter shape; there are only a handful, since values are bound. */
  #filtered(clause: string): Database.Statement {
    let statement = this.#filters.get(clause);
    if (!statement) {
      statement = this.#ctx.db.prepare(filteredUserPage(clause));
      this.#filters.set(clause, statement);
    }
    return statement;
  }

  /**
   * Activates a user's aliases inside a neighbour's write (AdminSetUserPassword confirming an
   * unconfirmed user, as ConfirmSignUp would): the attribute of the first alias another user holds,
   * with nothing claimed, or null once all are claimed.
   */
  claimAliases(poolId: string, usernameKey: string, aliases: readonly AliasClaim[]): string | null {
    for (const alias of aliases) {
      const owner = this.#s.aliasOwner.get(poolId, alias.attribute, alias.valueKey) as Row | undefined;
      if (owner && owner.username_key !== usernameKey) return alias.attribute;
    }
    for (const alias of aliases) this.#s.aliasInsert.run(poolId, alias.attribute, alias.valueKey, usernameKey);
    return null;
  }

  /** Spec §5.3: a forced alias move leaves the previous owner's attribute unverified. */
  #unverifyPreviousOwner(poolId: string, ownerKey: string, attribute: string, now: number): void {
    if (attribute === 'preferred_username') return;
    const owner = this.#s.userGet.get(poolId, ownerKey) as Row | undefined;
    if (!owner) return;
    const attributes = { ...userFromRow(owner).attributes, [`${attribute}_verified`]: 'false' };
    this.#s.userSetAttributes.run(JSON.stringify(attributes), now, poolId, ownerKey);
  }

  importUsers(...args: Parameters<UserStore['importUsers']>): ReturnType<UserStore['importUsers']> { return importUsers(this.#ctx.db, this.#ctx.writes, ...args); }
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
