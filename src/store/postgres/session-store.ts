/**
 * @module The PostgreSQL sessions-and-tokens aggregate: auth sessions, credentials and lockout
 * counts, refresh-token families and signing keys, shared by every instance. A session is taken
 * by one conditional UPDATE, so of many instances answering it one wins; lockout counts and
 * completed steps lock the user row, the same lock ConfirmSignUp takes; key changes lock the pool.
 */
import type pg from 'pg';
import { FRESH, type LockoutState } from '../../domain/lockout.ts';
import type { OutboxMessage } from '../../domain/records.ts';
import { authSessionFromRow, credentialsFromRow, num, refreshTokenFromRow, sessionVerdict, signingKeyFromRow } from '../rows.ts';
import {
  poolOfKeys,
  REFRESH_TOKEN_RETENTION_MS,
  rotationVerdict,
  SESSION_RETENTION_MS,
  type AuthSessionRecord,
  type CompletionResult,
  type Credentials,
  type PasswordChange,
  type RefreshRotation,
  type RefreshTokenRecord,
  type RotationResult,
  type SessionFailure,
  type SessionPeek,
  type SessionTake,
  type SignInCompletion,
  type SignInStore,
  type SigningKeyRecord,
} from '../sign-in-store.ts';
import { first, type Db, type PoolScoped, type Row } from './context.ts';
import type { PostgresOutboxStore } from './outbox-store.ts';
import { q } from './session-statements.ts';
import { inTransaction, Rollback } from './transaction.ts';

export class PostgresSessionStore implements SignInStore, PoolScoped {
  readonly tables = ['refresh_tokens', 'signing_keys', 'sessions'] as const;
  readonly #pool: pg.Pool;
  readonly #outbox: PostgresOutboxStore;

  constructor(pool: pg.Pool, outbox: PostgresOutboxStore) {
    this.#pool = pool;
    this.#outbox = outbox;
  }

  /** Sessions have no foreign key: an unknown user answered with a stand-in challenge has one too. */
  async forgetPool(c: pg.PoolClient, poolId: string): Promise<void> {
    await c.query(q('poolSessionsDelete', [poolId]));
  }

  /** Inside the user's deletion; the refresh tokens go by the cascade. */
  async forgetUser(c: pg.PoolClient, poolId: string, usernameKey: string): Promise<void> {
    await c.query(q('userSessionsDelete', [poolId, usernameKey]));
  }

  /** Stores the session and prunes a few rows long past their expiry, in the caller's transaction if given. */
  async insertSession(c: Db, s: AuthSessionRecord): Promise<void> {
    await c.query(q('sessionPrune', [s.createdAt - SESSION_RETENTION_MS]));
    await c.query(q('sessionUpsert', [s.digest, s.poolId, s.clientId, s.usernameKey, s.challenge, s.sealedState, s.createdAt, s.expiresAt]));
  }

  async getCredentials(poolId: string, usernameKey: string): Promise<Credentials | undefined> {
    const row = await first(this.#pool, q('credentialsGet', [poolId, usernameKey]));
    return row && credentialsFromRow(row);
  }

  async setPassword(poolId: string, usernameKey: string, change: PasswordChange, now: number): Promise<boolean> {
    return inTransaction(this.#pool, async (c) => {
      const row = await first(c, q('credentialsLock', [poolId, usernameKey]));
      if (!row) return false;
      await setPasswordOf(c, row, poolId, usernameKey, change, now);
      return true;
    });
  }

  async recordPasswordFailure(poolId: string, usernameKey: string, now: number, judge: (state: LockoutState) => LockoutState): Promise<LockoutState | undefined> {
    return inTransaction(this.#pool, async (c) => {
      const row = await first(c, q('credentialsLock', [poolId, usernameKey]));
      if (!row) return undefined;
      const next = judge(credentialsFromRow(row).lockout);
      await c.query(q('lockoutSet', [next.failures, next.lockedUntil, next.lastAttemptAt, poolId, usernameKey]));
      return next;
    });
  }

  async insertAuthSession(session: AuthSessionRecord, messages: readonly OutboxMessage[] = []): Promise<void> {
    await inTransaction(this.#pool, async (c) => {
      await this.insertSession(c, session);
      for (const m of messages) await this.#outbox.enqueue(c, m);
    });
  }

  async takeAuthSession(digest: string, now: number): Promise<SessionTake> {
    const taken = await first(this.#pool, q('sessionTake', [digest, now]));
    if (taken) return { kind: 'taken', session: authSessionFromRow(taken) };
    return { kind: missedVerdict(await first(this.#pool, q('sessionGet', [digest])), now) };
  }

  async peekAuthSession(digest: string, now: number): Promise<SessionPeek> {
    const row = await first(this.#pool, q('sessionGet', [digest]));
    const verdict = sessionVerdict(row, now);
    return verdict === 'live' ? { kind: 'live', session: authSessionFromRow(row!) } : { kind: verdict };
  }

  async recordSessionFailure(digest: string, now: number, limit: number): Promise<SessionFailure> {
    const row = await first(this.#pool, q('sessionFail', [digest, now, limit]));
    return row ? { kind: 'counted', failures: num(row.failures), spent: row.used_at != null } : { kind: 'spent' };
  }

  async completeSignIn(completion: SignInCompletion): Promise<CompletionResult> {
    const { poolId, usernameKey, now } = completion;
    const consumed = completion.consumeSession;
    return inTransaction(this.#pool, async (c): Promise<CompletionResult> => {
      if (consumed !== undefined) {
        const took = await c.query(q('sessionTakeOwn', [consumed, now, poolId, usernameKey]));
        if (took.rowCount !== 1) {
          const row = await first(c, q('sessionGet', [consumed]));
          return { kind: `session-${missedVerdict(row && row.pool_id === poolId && row.username_key === usernameKey ? row : undefined, now)}` };
        }
      }
      const user = await first(c, q('credentialsLock', [poolId, usernameKey]));
      // Undoes the session taken above: a step that applies nothing consumes nothing.
      if (!user) throw new Rollback<CompletionResult>({ kind: 'user-gone' });
      if (completion.resetLockout) await c.query(q('lockoutSet', [FRESH.failures, FRESH.lockedUntil, FRESH.lastAttemptAt, poolId, usernameKey]));
      if (completion.password) await setPasswordOf(c, user, poolId, usernameKey, completion.password, now);
      if (completion.nextSession) await this.insertSession(c, completion.nextSession);
      if (completion.refreshToken) await insertRefreshToken(c, completion.refreshToken, now);
      return { kind: 'done' };
    });
  }

  async getRefreshToken(digest: string): Promise<RefreshTokenRecord | undefined> {
    const row = await first(this.#pool, q('refreshGet', [digest]));
    return row && refreshTokenFromRow(row);
  }

  async rotateRefreshToken(r: RefreshRotation): Promise<RotationResult> {
    return inTransaction(this.#pool, async (c): Promise<RotationResult> => {
      await c.query(q('refreshLock', [r.oldDigest]));
      // Read after the lock, so this sees what a rotation or revocation that held it committed.
      const row = await first(c, q('refreshGet', [r.oldDigest]));
      const current = row && row.pool_id === r.poolId ? refreshTokenFromRow(row) : undefined;
      const kind = rotationVerdict(current, r.now, r.graceMs);
      if (kind === 'reused') await c.query(q('familyRevoke', [r.now, r.poolId, current!.originJti]));
      if (kind !== 'rotated' && kind !== 'retried') return { kind };
      if (current!.originJti !== r.replacement.originJti) throw new Error('a replacement refresh token of another family');
      await c.query(q('refreshRotate', [r.now, r.oldDigest]));
      await insertRefreshToken(c, r.replacement, r.now);
      return { kind };
    });
  }

  async familyRevoked(poolId: string, originJti: string): Promise<boolean> {
    return (await first(this.#pool, q('familyRevoked', [poolId, originJti])))?.revoked === true;
  }

  async revokeFamily(poolId: string, originJti: string, now: number): Promise<boolean> {
    return ((await this.#pool.query(q('familyRevoke', [now, poolId, originJti]))).rowCount ?? 0) > 0;
  }

  async revokeUserTokens(poolId: string, usernameKey: string, now: number): Promise<number> {
    return (await this.#pool.query(q('userTokensRevoke', [now, poolId, usernameKey]))).rowCount ?? 0;
  }

  async refreshTokensOfUser(poolId: string, usernameKey: string, limit: number): Promise<RefreshTokenRecord[]> {
    return (await this.#pool.query(q('refreshOfUser', [poolId, usernameKey, limit]))).rows.map(refreshTokenFromRow);
  }

  async getSigningKeys(poolId: string): Promise<SigningKeyRecord[]> {
    return keysOf(this.#pool, poolId);
  }

  async addSigningKeys(keys: SigningKeyRecord[]): Promise<SigningKeyRecord[]> {
    const poolId = poolOfKeys(keys);
    if (poolId === undefined) return [];
    return inTransaction(this.#pool, async (c) => {
      if ((await c.query(q('poolLock', [poolId]))).rowCount === 0) return [];
      for (const k of keys) await c.query(q('keyAdd', [k.poolId, k.kid, k.use, k.sealedPrivateKey, k.publicJwk, k.createdAt, k.retiredAt]));
      return keysOf(c, poolId);
    });
  }

  async rotateSigningKeys(poolId: string, replacements: SigningKeyRecord[], now: number): Promise<void> {
    if (replacements.some((k) => k.poolId !== poolId)) throw new Error('replacement keys of another pool');
    await inTransaction(this.#pool, async (c) => {
      // Two rotations at once run one after the other; without the lock the second would miss the
      // first one's new key, and its own would then conflict with it.
      if ((await c.query(q('poolLock', [poolId]))).rowCount === 0) return;
      for (const use of new Set(replacements.map((k) => k.use))) await c.query(q('keysRetire', [now, poolId, use]));
      for (const k of replacements) await c.query(q('keyInsert', [k.poolId, k.kid, k.use, k.sealedPrivateKey, k.publicJwk, k.createdAt, k.retiredAt]));
    });
  }
}

/** Why a conditional take matched nothing; a row that looks live lost a race, so it counts as used. */
function missedVerdict(row: Row | undefined, now: number): 'unknown' | 'used' | 'expired' {
  const verdict = sessionVerdict(row, now);
  return verdict === 'live' ? 'used' : verdict;
}

/** On a user row already locked by the caller: hash, verifier and status together, attributes merged. */
async function setPasswordOf(c: pg.PoolClient, row: Row, poolId: string, usernameKey: string, change: PasswordChange, now: number): Promise<void> {
  const attributes = { ...(row.attributes as Record<string, string>), ...change.attributes };
  const { salt, sealedVerifier } = change.srp;
  await c.query(q('passwordSet', [change.passwordHash, salt, sealedVerifier, now, change.status, JSON.stringify(attributes), now, poolId, usernameKey]));
}

/** Stores a new refresh token and drops the user's rows a day past their expiry. */
async function insertRefreshToken(c: pg.PoolClient, t: RefreshTokenRecord, now: number): Promise<void> {
  await c.query(q('refreshPrune', [t.poolId, t.usernameKey, now - REFRESH_TOKEN_RETENTION_MS]));
  await c.query(q('refreshInsert', [t.digest, t.poolId, t.clientId, t.usernameKey, t.originJti, t.authTime, t.issuedAt, t.expiresAt, t.revokedAt, t.rotatedAt]));
}

async function keysOf(db: Db, poolId: string): Promise<SigningKeyRecord[]> {
  return (await db.query(q('keysOf', [poolId]))).rows.map(signingKeyFromRow);
}
