/**
 * @module The PostgreSQL account aggregate: password recovery codes and password changes. Each
 * intent is one transaction that locks the user row (`FOR UPDATE`) before it counts, judges and
 * writes, which serialises the intents on one user across every instance.
 */
import type pg from 'pg';
import type { UserRecord } from '../../domain/records.ts';
import {
  RECOVERY_ISSUE_ACTION,
  RECOVERY_REDEEM_ACTION,
  accountCodeFromRow,
  type AccountStore,
  type IssueJudgement,
  type IssueRecoveryRequest,
  type IssueRecoveryResult,
  type PasswordReplacement,
  type RedeemRecoveryRequest,
  type RedeemRecoveryResult,
  type ReplaceResult,
  type StoredPassword,
  historyAfter,
  sameHistory,
  type HistoryGuard,
  type PasswordHistory,
} from '../account-store.ts';
import { userFromRow } from '../rows.ts';
import { h, q } from './account-statements.ts';
import { first, type Db, type PoolScoped, type Row } from './context.ts';
import type { PostgresOutboxStore } from './outbox-store.ts';
import { inTransaction, Rollback } from './transaction.ts';
import type { PostgresUserStore } from './user-store.ts';

const RECOVERY = 'forgot_password';

export class PostgresAccountStore implements AccountStore, PoolScoped {
  readonly tables = ['password_history', 'account_codes'] as const;
  readonly #pool: pg.Pool;
  readonly #outbox: PostgresOutboxStore;
  readonly #users: PostgresUserStore;

  constructor(pool: pg.Pool, outbox: PostgresOutboxStore, users: PostgresUserStore) {
    this.#pool = pool;
    this.#outbox = outbox;
    this.#users = users;
  }

  async issueRecoveryCode(r: IssueRecoveryRequest): Promise<IssueRecoveryResult> {
    const { poolId, usernameKey, now } = r;
    return inTransaction(this.#pool, async (c): Promise<IssueRecoveryResult> => {
      const row = await first(c, q('userLock', [poolId, usernameKey]));
      if (!row && !r.countUnknown) return { kind: 'not-found' };
      const user = row && userFromRow(row);
      const judgement: IssueJudgement = user ? r.judge(user) : { kind: 'count' };
      if (user && judgement.kind === 'refuse') return { kind: 'refused', reason: judgement.reason, user };
      const state = (await first(c, q('attemptsAndCode', [poolId, usernameKey, RECOVERY_ISSUE_ACTION, r.windowStart, RECOVERY]))) as Row;
      if (Number(state.n) >= r.limit) return { kind: 'limited' };
      await c.query(q('attemptInsert', [poolId, usernameKey, RECOVERY_ISSUE_ACTION, now]));
      if (!user) return { kind: 'not-found' };
      if (judgement.kind === 'count') return { kind: 'counted' };

      const k = r.code;
      await c.query(q('codeUpsert', [poolId, usernameKey, k.purpose, k.digest, k.deliveredTo, k.expiresAt, k.createdAt]));
      for (const m of r.messages) await this.#outbox.enqueue(c, m);
      if (!r.requireReset) return { kind: 'issued', user };
      await c.query(q('statusSet', ['RESET_REQUIRED', now, poolId, usernameKey]));
      return { kind: 'issued', user: { ...user, status: 'RESET_REQUIRED', updatedAt: now } };
    });
  }

  async redeemRecoveryCode(r: RedeemRecoveryRequest): Promise<RedeemRecoveryResult> {
    const { poolId, usernameKey, now } = r;
    return inTransaction(this.#pool, async (c): Promise<RedeemRecoveryResult> => {
      const row = await first(c, q('userLock', [poolId, usernameKey]));
      if (!row && !r.standIn) return { kind: 'not-found' };
      if (row && r.history && !sameHistory(await historyOf(c, row), r.history.seen)) return { kind: 'history-changed' };
      const state = (await first(c, q('attemptsAndCode', [poolId, usernameKey, RECOVERY_REDEEM_ACTION, r.windowStart, RECOVERY]))) as Row;
      const user = row ? userFromRow(row) : r.standIn!.user;
      const code = !row ? r.standIn!.code : state.digest == null ? undefined : accountCodeFromRow(state);
      const judgement = r.judge({ user, code, attemptsInWindow: Number(state.n) });
      if (judgement.countAttempt) await c.query(q('attemptInsert', [poolId, usernameKey, RECOVERY_REDEEM_ACTION, now]));
      if (judgement.kind === 'refuse') return { kind: 'refused', reason: judgement.reason, user };
      if (!row) return { kind: 'not-found' };

      await c.query(q('codeDelete', [poolId, usernameKey, RECOVERY]));
      return { kind: 'reset', user: await writePassword(c, user, r.password, 'CONFIRMED', now, r.history) };
    });
  }

  async replacePassword(r: PasswordReplacement): Promise<ReplaceResult> {
    return inTransaction(this.#pool, async (c): Promise<ReplaceResult> => {
      const row = await first(c, q('userLock', [r.poolId, r.usernameKey]));
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      if (r.expectedHash !== undefined && user.passwordHash !== r.expectedHash) return { kind: 'changed-meanwhile' };
      if (r.history && !sameHistory(await historyOf(c, row), r.history.seen)) return { kind: 'history-changed' };
      if (r.confirmAliases && user.status === 'UNCONFIRMED') {
        const taken = await this.#users.claimAliases(c, r.poolId, r.usernameKey, r.confirmAliases);
        // Rolled back: aliases claimed before the taken one must not stay.
        if (taken) throw new Rollback<ReplaceResult>({ kind: 'alias-exists', attribute: taken });
      }
      await c.query(q('codeDelete', [r.poolId, r.usernameKey, RECOVERY]));
      return { kind: 'replaced', user: await writePassword(c, user, r.password, r.status ?? user.status, r.now, r.history) };
    });
  }

  async passwordHistory(poolId: string, usernameKey: string): Promise<PasswordHistory | undefined> {
    const row = await first(this.#pool, h('passwordHashGet', [poolId, usernameKey]));
    return row && historyOf(this.#pool, { ...row, pool_id: poolId, username_key: usernameKey });
  }
}

async function historyOf(db: Db, row: Row): Promise<PasswordHistory> {
  const kept = await db.query(h('historyList', [row.pool_id, row.username_key]));
  return { current: (row.password_hash ?? null) as string | null, kept: kept.rows.map((k: Row) => String(k.password_hash)) };
}

/** Runs in the transaction of the password it records, after the guard's view was confirmed current. */
async function record(c: pg.PoolClient, user: UserRecord, history: HistoryGuard, incoming: string, now: number): Promise<void> {
  const { insert, keep } = historyAfter(history.size, history.seen.current, history.seen.kept, incoming);
  if (keep === 0) {
    await c.query(h('historyClear', [user.poolId, user.usernameKey]));
    return;
  }
  for (const hash of insert) await c.query(h('historyInsert', [user.poolId, user.usernameKey, hash, now]));
  await c.query(h('historyTrim', [user.poolId, user.usernameKey, keep]));
}

async function writePassword(
  c: pg.PoolClient,
  user: UserRecord,
  password: StoredPassword,
  status: UserRecord['status'],
  now: number,
  history?: HistoryGuard,
): Promise<UserRecord> {
  const { salt, sealedVerifier } = password.srp;
  await c.query(q('passwordSet', [password.passwordHash, salt, sealedVerifier, now, status, now, user.poolId, user.usernameKey]));
  if (history) await record(c, user, history, password.passwordHash, now);
  return { ...user, status, passwordHash: password.passwordHash, updatedAt: now };
}
