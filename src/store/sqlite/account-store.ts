/**
 * @module The SQLite account aggregate: password recovery codes and password changes. Each intent
 * is one write in the group commit, which holds SQLite's only write lock from the first read to
 * the last write, so counting, judging and applying cannot interleave with another write.
 */
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
import { accountSql, historySql } from './account-statements.ts';
import { prepareAll, type PoolScoped, type Row, type SqliteContext } from './context.ts';
import type { SqliteOutboxStore } from './outbox-store.ts';
import type { SqliteUserStore } from './user-store.ts';

const RECOVERY = 'forgot_password';

export class SqliteAccountStore implements AccountStore, PoolScoped {
  readonly tables = ['password_history', 'account_codes'] as const;
  readonly #ctx: SqliteContext;
  readonly #s;
  readonly #outbox: SqliteOutboxStore;
  readonly #users: SqliteUserStore;

  constructor(ctx: SqliteContext, outbox: SqliteOutboxStore, users: SqliteUserStore) {
    this.#ctx = ctx;
    this.#s = prepareAll(ctx.db, { ...accountSql, ...historySql });
    this.#outbox = outbox;
    this.#users = users;
  }

  async issueRecoveryCode(r: IssueRecoveryRequest): Promise<IssueRecoveryResult> {
    const { poolId, usernameKey, now } = r;
    return this.#ctx.writes.run((): IssueRecoveryResult => {
      const row = this.#s.userGet.get(poolId, usernameKey) as Row | undefined;
      if (!row && !r.countUnknown) return { kind: 'not-found' };
      const user = row && userFromRow(row);
      const judgement: IssueJudgement = user ? r.judge(user) : { kind: 'count' };
      if (user && judgement.kind === 'refuse') return { kind: 'refused', reason: judgement.reason, user };
      if (this.#count(poolId, usernameKey, RECOVERY_ISSUE_ACTION, r.windowStart) >= r.limit) return { kind: 'limited' };
      this.#s.attemptInsert.run(poolId, usernameKey, RECOVERY_ISSUE_ACTION, now);
      if (!user) return { kind: 'not-found' };
      if (judgement.kind === 'count') return { kind: 'counted' };

      const c = r.code;
      this.#s.codeUpsert.run(poolId, usernameKey, c.purpose, c.digest, c.deliveredTo, c.expiresAt, c.createdAt);
      for (const m of r.messages) this.#outbox.enqueue(m);
      if (!r.requireReset) return { kind: 'issued', user };
      this.#s.statusSet.run('RESET_REQUIRED', now, poolId, usernameKey);
      return { kind: 'issued', user: { ...user, status: 'RESET_REQUIRED', updatedAt: now } };
    });
  }

  async redeemRecoveryCode(r: RedeemRecoveryRequest): Promise<RedeemRecoveryResult> {
    const { poolId, usernameKey, now } = r;
    return this.#ctx.writes.run((): RedeemRecoveryResult => {
      const row = this.#s.userGet.get(poolId, usernameKey) as Row | undefined;
      if (!row && !r.standIn) return { kind: 'not-found' };
      if (row && r.history && !this.#historyIs(row, r.history)) return { kind: 'history-changed' };
      const attemptsInWindow = this.#count(poolId, usernameKey, RECOVERY_REDEEM_ACTION, r.windowStart);
      const codeRow = row && (this.#s.codeGet.get(poolId, usernameKey, RECOVERY) as Row | undefined);
      const user = row ? userFromRow(row) : r.standIn!.user;
      const code = row ? codeRow && accountCodeFromRow(codeRow) : r.standIn!.code;
      const judgement = r.judge({ user, code, attemptsInWindow });
      if (judgement.countAttempt) this.#s.attemptInsert.run(poolId, usernameKey, RECOVERY_REDEEM_ACTION, now);
      if (judgement.kind === 'refuse') return { kind: 'refused', reason: judgement.reason, user };
      if (!row) return { kind: 'not-found' };

      this.#s.codeDelete.run(poolId, usernameKey, RECOVERY);
      return { kind: 'reset', user: this.#writePassword(user, r.password, 'CONFIRMED', now, r.history) };
    });
  }

  async replacePassword(r: PasswordReplacement): Promise<ReplaceResult> {
    return this.#ctx.writes.run((): ReplaceResult => {
      const row = this.#s.userGet.get(r.poolId, r.usernameKey) as Row | undefined;
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      if (r.expectedHash !== undefined && user.passwordHash !== r.expectedHash) return { kind: 'changed-meanwhile' };
      if (r.history && !this.#historyIs(row, r.history)) return { kind: 'history-changed' };
      if (r.confirmAliases && user.status === 'UNCONFIRMED') {
        const taken = this.#users.claimAliases(r.poolId, r.usernameKey, r.confirmAliases);
        if (taken) return { kind: 'alias-exists', attribute: taken };
      }
      this.#s.codeDelete.run(r.poolId, r.usernameKey, RECOVERY);
      return { kind: 'replaced', user: this.#writePassword(user, r.password, r.status ?? user.status, r.now, r.history) };
    });
  }

  async passwordHistory(poolId: string, usernameKey: string): Promise<PasswordHistory | undefined> {
    const row = this.#s.userGet.get(poolId, usernameKey) as Row | undefined;
    return row && this.#history(row);
  }

  #history(row: Row): PasswordHistory {
    const kept = this.#s.historyList.all(row.pool_id, row.username_key) as { password_hash: string }[];
    return { current: (row.password_hash ?? null) as string | null, kept: kept.map((k) => k.password_hash) };
  }

  #historyIs(row: Row, guard: HistoryGuard): boolean {
    return sameHistory(this.#history(row), guard.seen);
  }

  /** Counts the calls in the window, after dropping the rows that left it. */
  #count(poolId: string, usernameKey: string, action: string, windowStart: number): number {
    this.#s.attemptPrune.run(poolId, usernameKey, action, windowStart);
    return (this.#s.attemptCount.get(poolId, usernameKey, action, windowStart) as { n: number }).n;
  }

  #writePassword(user: UserRecord, password: StoredPassword, status: UserRecord['status'], now: number, history?: HistoryGuard): UserRecord {
    const { salt, sealedVerifier } = password.srp;
    this.#s.passwordSet.run(password.passwordHash, salt, sealedVerifier, now, status, now, user.poolId, user.usernameKey);
    if (history) this.#record(user, history, password.passwordHash, now);
    return { ...user, status, passwordHash: password.passwordHash, updatedAt: now };
  }

  /** Runs under the same write as the password it records; the guard's view was just confirmed current. */
  #record(user: UserRecord, history: HistoryGuard, incoming: string, now: number): void {
    const { poolId, usernameKey } = user;
    const { insert, keep } = historyAfter(history.size, history.seen.current, history.seen.kept, incoming);
    if (keep === 0) {
      this.#s.historyClear.run(poolId, usernameKey);
      return;
    }
    for (const hash of insert) this.#s.historyInsert.run(poolId, usernameKey, hash, now, poolId, usernameKey);
    this.#s.historyTrim.run(poolId, usernameKey, poolId, usernameKey, keep);
  }
}
