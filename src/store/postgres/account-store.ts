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
} from '../account-store.ts';
import { userFromRow } from '../rows.ts';
import { q } from './account-statements.ts';
import { first, type PoolScoped, type Row } from './context.ts';
import type { PostgresOutboxStore } from './outbox-store.ts';
import { inTransaction } from './transaction.ts';

const RECOVERY = 'forgot_password';

export class PostgresAccountStore implements AccountStore, PoolScoped {
  readonly tables = ['account_codes'] as const;
  readonly #pool: pg.Pool;
  readonly #outbox: PostgresOutboxStore;

  constructor(pool: pg.Pool, outbox: PostgresOutboxStore) {
    this.#pool = pool;
    this.#outbox = outbox;
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
      const state = (await first(c, q('attemptsAndCode', [poolId, usernameKey, RECOVERY_REDEEM_ACTION, r.windowStart, RECOVERY]))) as Row;
      const user = row ? userFromRow(row) : r.standIn!.user;
      const code = !row ? r.standIn!.code : state.digest == null ? undefined : accountCodeFromRow(state);
      const judgement = r.judge({ user, code, attemptsInWindow: Number(state.n) });
      if (judgement.countAttempt) await c.query(q('attemptInsert', [poolId, usernameKey, RECOVERY_REDEEM_ACTION, now]));
      if (judgement.kind === 'refuse') return { kind: 'refused', reason: judgement.reason, user };
      if (!row) return { kind: 'not-found' };

      await c.query(q('codeDelete', [poolId, usernameKey, RECOVERY]));
      return { kind: 'reset', user: await writePassword(c, user, r.password, 'CONFIRMED', now) };
    });
  }

  async replacePassword(r: PasswordReplacement): Promise<ReplaceResult> {
    return inTransaction(this.#pool, async (c): Promise<ReplaceResult> => {
      const row = await first(c, q('userLock', [r.poolId, r.usernameKey]));
      if (!row) return { kind: 'not-found' };
      const user = userFromRow(row);
      if (r.expectedHash !== undefined && user.passwordHash !== r.expectedHash) return { kind: 'changed-meanwhile' };
      await c.query(q('codeDelete', [r.poolId, r.usernameKey, RECOVERY]));
      return { kind: 'replaced', user: await writePassword(c, user, r.password, r.status ?? user.status, r.now) };
    });
  }
}

async function writePassword(c: pg.PoolClient, user: UserRecord, password: StoredPassword, status: UserRecord['status'], now: number): Promise<UserRecord> {
  const { salt, sealedVerifier } = password.srp;
  await c.query(q('passwordSet', [password.passwordHash, salt, sealedVerifier, now, status, now, user.poolId, user.usernameKey]));
  return { ...user, status, passwordHash: password.passwordHash, updatedAt: now };
}
