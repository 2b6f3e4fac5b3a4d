/**
 * @module The PostgreSQL attributes aggregate. Every intent locks the user row (`FOR UPDATE`), which
 * serialises changes and redemptions for one user across every instance; alias values are claimed
 * under the same advisory locks, in the same global order, as the users aggregate takes them.
 */
import type pg from 'pg';
import type { AliasClaim, UserRecord } from '../../domain/records.ts';
import {
  afterWrite,
  attemptAction,
  attributeCodeFromRow,
  pendingColumn,
  type AttributeStore,
  type AttributeWrite,
  type ChangeRequest,
  type ChangeResult,
  type IssueRequest,
  type IssueResult,
  type VerifyRequest,
  type VerifyResult,
} from '../attribute-store.ts';
import { userFromRow } from '../rows.ts';
import { q } from './attribute-statements.ts';
import { first, type PoolScoped, type Row } from './context.ts';
import type { PostgresOutboxStore } from './outbox-store.ts';
import { inTransaction } from './transaction.ts';

export class PostgresAttributeStore implements AttributeStore, PoolScoped {
  // account_codes is the accounts aggregate's table, wiped there; this aggregate keeps only the verify_* purposes in it.
  readonly tables = [] as const;
  readonly #pool: pg.Pool;
  readonly #outbox: PostgresOutboxStore;

  constructor(pool: pg.Pool, outbox: PostgresOutboxStore) {
    this.#pool = pool;
    this.#outbox = outbox;
  }

  async changeAttributes(request: ChangeRequest): Promise<ChangeResult> {
    const { poolId, usernameKey, now } = request;
    return inTransaction(this.#pool, async (c): Promise<ChangeResult> => {
      const row = await first(c, q('userLock', [poolId, usernameKey]));
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      const judgement = request.judge(user);
      if (judgement.kind === 'refuse') return { kind: 'refused', reason: judgement.reason, user };
      const taken = await takenAlias(c, user, judgement.claim);
      if (taken) return { kind: 'alias-conflict', attribute: taken.attribute, user };
      await write(c, user, judgement, now);
      for (const purpose of judgement.dropCodes) await c.query(q('codeDelete', [poolId, usernameKey, purpose]));
      for (const k of judgement.codes) await c.query(q('codeUpsert', [poolId, usernameKey, k.purpose, k.digest, k.deliveredTo, k.expiresAt, k.createdAt]));
      for (const m of judgement.messages) await this.#outbox.enqueue(c, m);
      return { kind: 'changed', user: afterWrite(user, judgement, now) };
    });
  }

  async issueAttributeCode(request: IssueRequest): Promise<IssueResult> {
    const { poolId, usernameKey, now, code } = request;
    const action = attemptAction.send(code.purpose);
    return inTransaction(this.#pool, async (c): Promise<IssueResult> => {
      const row = await first(c, q('userLock', [poolId, usernameKey]));
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      if (!request.fits(user)) return { kind: 'stale', user };
      const state = (await first(c, q('attemptsAndCode', [poolId, usernameKey, action, request.windowStart, code.purpose]))) as Row;
      if (Number(state.n) >= request.limit) return { kind: 'limited' };
      await c.query(q('attemptInsert', [poolId, usernameKey, action, now]));
      await c.query(q('codeUpsert', [poolId, usernameKey, code.purpose, code.digest, code.deliveredTo, code.expiresAt, code.createdAt]));
      for (const m of request.messages) await this.#outbox.enqueue(c, m);
      return { kind: 'issued', user };
    });
  }

  async verifyAttribute(request: VerifyRequest): Promise<VerifyResult> {
    const { poolId, usernameKey, purpose, now } = request;
    const action = attemptAction.redeem(purpose);
    return inTransaction(this.#pool, async (c): Promise<VerifyResult> => {
      const row = await first(c, q('userLock', [poolId, usernameKey]));
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      const state = (await first(c, q('attemptsAndCode', [poolId, usernameKey, action, request.windowStart, purpose]))) as Row;
      const judgement = request.judge({ user, code: attributeCodeFromRow(state), attemptsInWindow: Number(state.n) });
      const counted = judgement.kind === 'verify' || judgement.countAttempt;
      if (counted) await c.query(q('attemptInsert', [poolId, usernameKey, action, now]));
      if (judgement.kind === 'refuse') return { kind: 'refused', reason: judgement.reason, user };
      const taken = await takenAlias(c, user, judgement.claim);
      if (taken) return { kind: 'alias-conflict', attribute: taken.attribute, user };
      await write(c, user, judgement, now);
      await c.query(q('codeDelete', [poolId, usernameKey, purpose]));
      return { kind: 'verified', user: afterWrite(user, judgement, now) };
    });
  }
}

/**
 * Locks the claimed values in one global order (the users aggregate's), then finds the first held
 * by someone else; conflicts are found before anything changes, so a refusal leaves no partial effect.
 */
async function takenAlias(c: pg.PoolClient, user: UserRecord, claims: readonly AliasClaim[]): Promise<AliasClaim | undefined> {
  const keyed = claims.map((alias) => ({ alias, key: JSON.stringify([user.poolId, alias.attribute, alias.valueKey]) }));
  for (const { key } of [...keyed].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) await c.query(q('aliasLock', [key]));
  for (const { alias } of keyed) {
    const owner = await first(c, q('aliasOwner', [user.poolId, alias.attribute, alias.valueKey]));
    if (owner && owner.username_key !== user.usernameKey) return alias;
  }
  return undefined;
}

async function write(c: pg.PoolClient, user: UserRecord, w: AttributeWrite, now: number): Promise<void> {
  const { poolId, usernameKey } = user;
  await c.query(q('userWrite', [JSON.stringify(w.attributes), pendingColumn(w), now, poolId, usernameKey]));
  for (const alias of w.release) await c.query(q('aliasRelease', [poolId, alias.attribute, alias.valueKey, usernameKey]));
  for (const alias of w.claim) await c.query(q('aliasInsert', [poolId, alias.attribute, alias.valueKey, usernameKey]));
}
