/**
 * @module The SQLite sessions-and-tokens aggregate: auth sessions, credentials and lockout counts,
 * refresh-token families and signing keys. Whatever reads and then writes runs as one write in the
 * group commit, which holds SQLite's only write lock: taking a session, counting a failure or
 * completing a step cannot interleave with another, in this instance or another on the same file.
 */
import { FRESH, type LockoutState } from '../../domain/lockout.ts';
import type { OutboxMessage } from '../../domain/records.ts';
import {
  authSessionFromRow,
  credentialsFromRow,
  num,
  refreshTokenFromRow,
  sessionVerdict,
  signingKeyFromRow,
} from '../rows.ts';
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
import { prepareAll, type PoolScoped, type Row, type SqliteContext } from './context.ts';
import type { SqliteOutboxStore } from './outbox-store.ts';
import { sessionSql } from './session-statements.ts';

export class SqliteSessionStore implements SignInStore, PoolScoped {
  readonly tables = ['refresh_tokens', 'signing_keys', 'sessions'] as const;
  readonly #ctx: SqliteContext;
  readonly #s;
  readonly #outbox: SqliteOutboxStore;

  constructor(ctx: SqliteContext, outbox: SqliteOutboxStore) {
    this.#ctx = ctx;
    this.#s = prepareAll(ctx.db, sessionSql);
    this.#outbox = outbox;
  }

  /** Sessions have no foreign key: an unknown user answered with a stand-in challenge has one too. */
  forgetPool(poolId: string): void {
    this.#s.sessionsOfPoolDelete.run(poolId);
  }

  /** Inside the user's deletion; the refresh tokens go by the cascade. */
  forgetUser(poolId: string, usernameKey: string): void {
    this.#s.sessionsOfUserDelete.run(poolId, usernameKey);
  }

  /** Inside a write: stores the session and prunes a few rows long past their expiry. */
  insertSession(s: AuthSessionRecord): void {
    this.#s.sessionPrune.run(s.createdAt - SESSION_RETENTION_MS);
    this.#s.sessionInsert.run(s.digest, s.poolId, s.usernameKey, s.clientId, s.challenge, s.sealedState, s.createdAt, s.expiresAt);
  }

  async getCredentials(poolId: string, usernameKey: string): Promise<Credentials | undefined> {
    const row = this.#s.credentialsGet.get(poolId, usernameKey) as Row | undefined;
    return row && credentialsFromRow(row);
  }

  async setPassword(poolId: string, usernameKey: string, change: PasswordChange, now: number): Promise<boolean> {
    return this.#ctx.writes.run(() => this.#setPassword(poolId, usernameKey, change, now));
  }

  async recordPasswordFailure(poolId: string, usernameKey: string, now: number, judge: (state: LockoutState) => LockoutState): Promise<LockoutState | undefined> {
    return this.#ctx.writes.run(() => {
      const row = this.#s.credentialsGet.get(poolId, usernameKey) as Row | undefined;
      if (!row) return undefined;
      const next = judge(credentialsFromRow(row).lockout);
      this.#s.lockoutSet.run(next.failures, next.lockedUntil, next.lastAttemptAt, poolId, usernameKey);
      return next;
    });
  }

  async insertAuthSession(session: AuthSessionRecord, messages: readonly OutboxMessage[] = []): Promise<void> {
    await this.#ctx.writes.run(() => {
      this.insertSession(session);
      for (const m of messages) this.#outbox.enqueue(m);
    });
  }

  async takeAuthSession(digest: string, now: number): Promise<SessionTake> {
    return this.#ctx.writes.run((): SessionTake => {
      const row = this.#s.sessionGet.get(digest) as Row | undefined;
      const verdict = sessionVerdict(row, now);
      if (verdict !== 'live') return { kind: verdict };
      this.#s.sessionUse.run(now, digest);
      return { kind: 'taken', session: authSessionFromRow(row!) };
    });
  }

  async peekAuthSession(digest: string, now: number): Promise<SessionPeek> {
    const row = this.#s.sessionGet.get(digest) as Row | undefined;
    const verdict = sessionVerdict(row, now);
    return verdict === 'live' ? { kind: 'live', session: authSessionFromRow(row!) } : { kind: verdict };
  }

  async recordSessionFailure(digest: string, now: number, limit: number): Promise<SessionFailure> {
    return this.#ctx.writes.run((): SessionFailure => {
      const row = this.#s.sessionFail.get(limit, now, digest, now) as Row | undefined;
      return row ? { kind: 'counted', failures: num(row.failures), spent: row.used_at != null } : { kind: 'spent' };
    });
  }

  async completeSignIn(completion: SignInCompletion): Promise<CompletionResult> {
    const { poolId, usernameKey, now } = completion;
    return this.#ctx.writes.run((): CompletionResult => {
      // Every check comes before the first write, so a refusal leaves nothing behind.
      const consumed = completion.consumeSession;
      if (consumed !== undefined) {
        const row = this.#s.sessionGet.get(consumed) as Row | undefined;
        const mine = row && row.pool_id === poolId && row.username_key === usernameKey ? row : undefined;
        const verdict = sessionVerdict(mine, now);
        if (verdict !== 'live') return { kind: `session-${verdict}` };
      }
      if (!this.#s.credentialsGet.get(poolId, usernameKey)) return { kind: 'user-gone' };

      if (consumed !== undefined) this.#s.sessionUse.run(now, consumed);
      if (completion.resetLockout) this.#s.lockoutSet.run(FRESH.failures, FRESH.lockedUntil, FRESH.lastAttemptAt, poolId, usernameKey);
      if (completion.password) this.#setPassword(poolId, usernameKey, completion.password, now);
      if (completion.nextSession) this.insertSession(completion.nextSession);
      if (completion.refreshToken) this.#insertRefreshToken(completion.refreshToken, now);
      return { kind: 'done' };
    });
  }

  async getRefreshToken(digest: string): Promise<RefreshTokenRecord | undefined> {
    const row = this.#s.refreshGet.get(digest) as Row | undefined;
    return row && refreshTokenFromRow(row);
  }

  async rotateRefreshToken(r: RefreshRotation): Promise<RotationResult> {
    return this.#ctx.writes.run((): RotationResult => {
      // The write lock is held from here to the commit: two rotations of one token cannot interleave.
      const row = this.#s.refreshGet.get(r.oldDigest) as Row | undefined;
      const current = row && row.pool_id === r.poolId ? refreshTokenFromRow(row) : undefined;
      const kind = rotationVerdict(current, r.now, r.graceMs);
      if (kind === 'reused') this.#s.familyRevoke.run(r.now, r.poolId, current!.originJti);
      if (kind !== 'rotated' && kind !== 'retried') return { kind };
      if (current!.originJti !== r.replacement.originJti) throw new Error('a replacement refresh token of another family');
      this.#s.refreshRotate.run(r.now, r.oldDigest);
      this.#insertRefreshToken(r.replacement, r.now);
      return { kind };
    });
  }

  async familyRevoked(poolId: string, originJti: string): Promise<boolean> {
    return (this.#s.familyRevoked.get(poolId, originJti) as { revoked: number }).revoked === 1;
  }

  async revokeFamily(poolId: string, originJti: string, now: number): Promise<boolean> {
    return this.#ctx.writes.run(() => this.#s.familyRevoke.run(now, poolId, originJti).changes > 0);
  }

  async revokeUserTokens(poolId: string, usernameKey: string, now: number): Promise<number> {
    return this.#ctx.writes.run(() => this.#s.userTokensRevoke.run(now, poolId, usernameKey).changes);
  }

  async refreshTokensOfUser(poolId: string, usernameKey: string, limit: number): Promise<RefreshTokenRecord[]> {
    return (this.#s.refreshOfUser.all(poolId, usernameKey, limit) as Row[]).map(refreshTokenFromRow);
  }

  async getSigningKeys(poolId: string): Promise<SigningKeyRecord[]> {
    return this.#keysOf(poolId);
  }

  async addSigningKeys(keys: SigningKeyRecord[]): Promise<SigningKeyRecord[]> {
    const poolId = poolOfKeys(keys);
    if (poolId === undefined) return [];
    return this.#ctx.writes.run(() => {
      if (!this.#s.poolExists.get(poolId)) return [];
      for (const k of keys) this.#s.keyAdd.run(k.poolId, k.kid, k.use, k.sealedPrivateKey, k.publicJwk, k.createdAt, k.retiredAt);
      return this.#keysOf(poolId);
    });
  }

  async rotateSigningKeys(poolId: string, replacements: SigningKeyRecord[], now: number): Promise<void> {
    if (replacements.some((k) => k.poolId !== poolId)) throw new Error('replacement keys of another pool');
    await this.#ctx.writes.run(() => {
      if (!this.#s.poolExists.get(poolId)) return;
      for (const use of new Set(replacements.map((k) => k.use))) this.#s.keysRetire.run(now, poolId, use);
      // A plain insert: a conflict here would mean a rotation silently lost, so it throws instead.
      for (const k of replacements) this.#s.keyInsert.run(k.poolId, k.kid, k.use, k.sealedPrivateKey, k.publicJwk, k.createdAt, k.retiredAt);
    });
  }

  #setPassword(poolId: string, usernameKey: string, change: PasswordChange, now: number): boolean {
    const row = this.#s.credentialsGet.get(poolId, usernameKey) as Row | undefined;
    if (!row) return false;
    const attributes = { ...(JSON.parse(String(row.attributes)) as Record<string, string>), ...change.attributes };
    const { salt, sealedVerifier } = change.srp;
    this.#s.passwordSet.run(change.passwordHash, salt, sealedVerifier, now, change.status, JSON.stringify(attributes), now, poolId, usernameKey);
    return true;
  }

  #insertRefreshToken(t: RefreshTokenRecord, now: number): void {
    this.#s.refreshPrune.run(t.poolId, t.usernameKey, now - REFRESH_TOKEN_RETENTION_MS);
    this.#s.refreshInsert.run(t.digest, t.poolId, t.clientId, t.usernameKey, t.originJti, t.authTime, t.issuedAt, t.expiresAt, t.revokedAt, t.rotatedAt);
  }

  #keysOf(poolId: string): SigningKeyRecord[] {
    return (this.#s.keysOf.all(poolId) as Row[]).map(signingKeyFromRow);
  }
}
