/**
 * @module The PostgreSQL users-and-codes aggregate. Counted intents lock the user row
 * (`FOR UPDATE`), which serialises them across every instance; alias values are claimed under
 * advisory locks taken in one global order.
 */
import type pg from 'pg';
import type { AliasClaim, UserRecord } from '../../domain/records.ts';
import { decodeCursor, page, type Page } from '../cursor.ts';
import { columnFilters, confirmedAtInsert, passwordSetAt, userFromRow } from '../rows.ts';
import { SIGN_UP_CHALLENGE, signUpSession } from '../sign-in-store.ts';
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
import { aliasLocks, confirmSignUp } from './confirm-sign-up.ts';
import { first, type PoolScoped, type Row } from './context.ts';
import { holdsNul, orIfPoolGone } from './guards.ts';
import type { PostgresOutboxStore } from './outbox-store.ts';
import type { PostgresSessionStore } from './session-store.ts';
import { inTransaction, Rollback } from './transaction.ts';
import { filteredUserPage, q } from './user-statements.ts';
import { importUsers } from './user-import.ts';

export interface UserNeighbours {
  outbox: PostgresOutboxStore;
  sessions: PostgresSessionStore;
}

export class PostgresUserStore implements UserStore, PoolScoped {
  readonly tables = ['attempts', 'signup_codes', 'aliases', 'users'] as const;
  readonly #pool: pg.Pool;
  readonly #outbox: PostgresOutboxStore;
  readonly #sessions: PostgresSessionStore;

  constructor(pool: pg.Pool, neighbours: UserNeighbours) {
    this.#pool = pool;
    this.#outbox = neighbours.outbox;
    this.#sessions = neighbours.sessions;
  }

  /** Attempts have no foreign key: they are also counted for names that belong to no user. */
  async forgetPool(c: pg.PoolClient, poolId: string): Promise<void> {
    await c.query(q('poolAttemptsDelete', [poolId]));
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
        user.poolId, user.usernameKey, user.username, user.sub, user.status, user.enabled, JSON.stringify(user.attributes),
        user.passwordHash, input.srp?.salt ?? null, input.srp?.sealedVerifier ?? null, passwordSetAt(input), user.createdAt, user.updatedAt, confirmedAtInsert(user),
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
      for (const m of input.messages) await this.#outbox.enqueue(c, m);
      if (input.session) await this.#sessions.insertSession(c, signUpSession(input.session, SIGN_UP_CHALLENGE, user.createdAt));
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
      rows = (await this.#pool.query(filteredUserPage(clause, 3 + values.length, [poolId, after, ...values, limit + 1]))).rows;
    }
    return page(rows.map(userFromRow), limit, (user) => user.usernameKey);
  }

  async usersWatermark(poolId: string): Promise<string> {
    if (holdsNul(poolId)) return '0:0';
    const row = (await first(this.#pool, q('usersWatermark', [poolId])))!;
    return `${Number(row.n)}:${Number(row.at)}`;
  }

  async countUsers(poolId: string): Promise<number> {
    if (holdsNul(poolId)) return 0;
    return Number((await first(this.#pool, q('userCount', [poolId])))!.n);
  }

  async setUserEnabled(poolId: string, usernameKey: string, enabled: boolean, now: number): Promise<boolean> {
    return (await this.#pool.query(q('userEnable', [enabled, now, poolId, usernameKey]))).rowCount === 1;
  }

  async deleteUser(poolId: string, usernameKey: string): Promise<boolean> {
    return inTransaction(this.#pool, async (c) => {
      await c.query(q('userAttemptsDelete', [poolId, usernameKey]));
      await this.#sessions.forgetUser(c, poolId, usernameKey);
      return (await c.query(q('userDelete', [poolId, usernameKey]))).rowCount === 1;
    });
  }

  confirmSignUp(request: ConfirmRequest): Promise<ConfirmResult> {
    return confirmSignUp(this.#pool, this.#sessions, request);
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
      for (const m of request.messages) await this.#outbox.enqueue(c, m);
      return { kind: 'issued', user };
    });
  }

  async reinviteUser(request: ReinviteRequest): Promise<ReinviteResult> {
    const { poolId, usernameKey, now } = request;
    return inTransaction(this.#pool, async (c): Promise<ReinviteResult> => {
      const row = await first(c, q('userLock', [poolId, usernameKey]));
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      const { srp } = request;
      const set = [request.passwordHash, srp?.salt ?? null, srp?.sealedVerifier ?? null, request.passwordSetAt ?? now, now];
      if ((await c.query(q('userReinvite', [...set, poolId, usernameKey]))).rowCount !== 1) return { kind: 'not-invited', user };
      for (const m of request.messages) await this.#outbox.enqueue(c, m);
      return { kind: 'reinvited', user: { ...user, passwordHash: request.passwordHash, updatedAt: now } };
    });
  }

  /**
   * Activates a user's aliases in a neighbour's transaction, which holds the user's row lock
   * (AdminSetUserPassword confirming an unconfirmed user, as ConfirmSignUp would): the attribute of
   * the first alias another user holds, or null once all are claimed. On an attribute the caller
   * must roll back, since a concurrent claim can take a value after the earlier ones were inserted.
   */
  async claimAliases(c: pg.PoolClient, poolId: string, usernameKey: string, aliases: readonly AliasClaim[]): Promise<string | null> {
    for (const alias of aliases) {
      const owner = await first(c, q('aliasOwner', [poolId, alias.attribute, alias.valueKey]));
      if (owner && owner.username_key !== usernameKey) return alias.attribute;
    }
    for (const alias of aliases) {
      // Another transaction may claim the value between the check and the insert; the unique key
      // makes the insert do nothing then, and that counts as taken.
      if ((await c.query(q('aliasInsert', [poolId, alias.attribute, alias.valueKey, usernameKey]))).rowCount !== 1) {
        const owner = await first(c, q('aliasOwner', [poolId, alias.attribute, alias.valueKey]));
        if (owner?.username_key !== usernameKey) return alias.attribute;
      }
    }
    return null;
  }

  importUsers(...args: Parameters<UserStore['importUsers']>): ReturnType<UserStore['importUsers']> { return importUsers(this.#pool, ...args); }
}

/** Takes the alias locks in their global order, so two transactions claiming the same values cannot deadlock. */
async function lockAliases(c: pg.PoolClient, poolId: string, aliases: readonly AliasClaim[]): Promise<void> {
  for (const lock of aliasLocks(poolId, aliases)) await c.query(lock);
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
