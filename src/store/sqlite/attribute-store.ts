/**
 * @module The SQLite attributes aggregate. Each intent is one write inside the group commit, which
 * holds SQLite's only write lock from the first read to the last write: the judge sees the user as
 * it is and nothing can change it before the decision lands.
 */
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
import { attributeSql } from './attribute-statements.ts';
import { prepareAll, type PoolScoped, type Row, type SqliteContext } from './context.ts';
import type { SqliteOutboxStore } from './outbox-store.ts';

export class SqliteAttributeStore implements AttributeStore, PoolScoped {
  // account_codes is the accounts aggregate's table, wiped there; this aggregate keeps only the verify_* purposes in it.
  readonly tables = [] as const;
  readonly #ctx: SqliteContext;
  readonly #s;
  readonly #outbox: SqliteOutboxStore;

  constructor(ctx: SqliteContext, outbox: SqliteOutboxStore) {
    this.#ctx = ctx;
    this.#s = prepareAll(ctx.db, attributeSql);
    this.#outbox = outbox;
  }

  async changeAttributes(request: ChangeRequest): Promise<ChangeResult> {
    const { poolId, usernameKey, now } = request;
    return this.#ctx.writes.run((): ChangeResult => {
      const user = this.#user(poolId, usernameKey);
      if (!user) return { kind: 'not-found' };
      const judgement = request.judge(user);
      if (judgement.kind === 'refuse') return { kind: 'refused', reason: judgement.reason, user };
      const taken = this.#takenAlias(poolId, usernameKey, judgement.claim);
      if (taken) return { kind: 'alias-conflict', attribute: taken.attribute, user };
      this.#write(user, judgement, now);
      for (const purpose of judgement.dropCodes) this.#s.codeDelete.run(poolId, usernameKey, purpose);
      for (const c of judgement.codes) this.#s.codeUpsert.run(poolId, usernameKey, c.purpose, c.digest, c.deliveredTo, c.expiresAt, c.createdAt);
      for (const m of judgement.messages) this.#outbox.enqueue(m);
      return { kind: 'changed', user: afterWrite(user, judgement, now) };
    });
  }

  async issueAttributeCode(request: IssueRequest): Promise<IssueResult> {
    const { poolId, usernameKey, now, code } = request;
    const action = attemptAction.send(code.purpose);
    return this.#ctx.writes.run((): IssueResult => {
      const user = this.#user(poolId, usernameKey);
      if (!user) return { kind: 'not-found' };
      if (!request.fits(user)) return { kind: 'stale', user };
      const n = (this.#s.attemptCount.get(poolId, usernameKey, action, request.windowStart) as { n: number }).n;
      if (n >= request.limit) {
        this.#s.attemptPrune.run(poolId, usernameKey, action, request.windowStart);
        return { kind: 'limited' };
      }
      this.#s.attemptInsert.run(poolId, usernameKey, action, now);
      this.#s.codeUpsert.run(poolId, usernameKey, code.purpose, code.digest, code.deliveredTo, code.expiresAt, code.createdAt);
      for (const m of request.messages) this.#outbox.enqueue(m);
      return { kind: 'issued', user };
    });
  }

  async verifyAttribute(request: VerifyRequest): Promise<VerifyResult> {
    const { poolId, usernameKey, purpose, now } = request;
    const action = attemptAction.redeem(purpose);
    return this.#ctx.writes.run((): VerifyResult => {
      const user = this.#user(poolId, usernameKey);
      if (!user) return { kind: 'not-found' };
      const attemptsInWindow = (this.#s.attemptCount.get(poolId, usernameKey, action, request.windowStart) as { n: number }).n;
      const code = attributeCodeFromRow(this.#s.codeGet.get(poolId, usernameKey, purpose) as Row | undefined);
      const judgement = request.judge({ user, code, attemptsInWindow });
      if (judgement.kind === 'refuse') {
        if (judgement.countAttempt) this.#s.attemptInsert.run(poolId, usernameKey, action, now);
        // Housekeeping only where it matters: rows that left the window no longer count anyway.
        else if (judgement.reason === 'limited') this.#s.attemptPrune.run(poolId, usernameKey, action, request.windowStart);
        return { kind: 'refused', reason: judgement.reason, user };
      }
      // The right code was shown, so the attempt counts whatever the alias check says.
      this.#s.attemptInsert.run(poolId, usernameKey, action, now);
      const taken = this.#takenAlias(poolId, usernameKey, judgement.claim);
      if (taken) return { kind: 'alias-conflict', attribute: taken.attribute, user };
      this.#write(user, judgement, now);
      this.#s.codeDelete.run(poolId, usernameKey, purpose);
      return { kind: 'verified', user: afterWrite(user, judgement, now) };
    });
  }

  #user(poolId: string, usernameKey: string): UserRecord | undefined {
    const row = this.#s.userGet.get(poolId, usernameKey) as Row | undefined;
    return row && userFromRow(row);
  }

  /** Conflicts are found before anything changes, so a refusal leaves no partial effect. */
  #takenAlias(poolId: string, usernameKey: string, claims: readonly AliasClaim[]): AliasClaim | undefined {
    return claims.find((alias) => {
      const owner = this.#s.aliasOwner.get(poolId, alias.attribute, alias.valueKey) as Row | undefined;
      return owner !== undefined && owner.username_key !== usernameKey;
    });
  }

  #write(user: UserRecord, write: AttributeWrite, now: number): void {
    const { poolId, usernameKey } = user;
    this.#s.userWrite.run(JSON.stringify(write.attributes), pendingColumn(write), now, poolId, usernameKey);
    for (const alias of write.release) this.#s.aliasRelease.run(poolId, alias.attribute, alias.valueKey, usernameKey);
    for (const alias of write.claim) this.#s.aliasInsert.run(poolId, alias.attribute, alias.valueKey, usernameKey);
  }
}
