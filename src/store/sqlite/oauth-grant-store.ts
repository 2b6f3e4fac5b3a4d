/**
 * @module The SQLite OAuth grants aggregate: authorization codes and browser sessions. Every change
 * runs inside the group commit, which holds SQLite's only write lock, so a redemption's check and
 * mark cannot interleave with another's, and an issue cannot interleave with the user's deletion.
 */
import {
  browserSessionFromRow,
  browserSessionValues,
  codeFromRow,
  codeValues,
  GRANT_RETENTION_MS,
  whyNotRedeemed,
  type AuthorizationCodeRecord,
  type BrowserSessionRecord,
  type CodeRedemption,
  type GrantFamily,
  type OAuthGrantStore,
} from '../oauth-grant-store.ts';
import { prepareAll, type PoolScoped, type Row, type SqliteContext } from './context.ts';
import { grantSql } from './oauth-grant-statements.ts';

export class SqliteOAuthGrantStore implements OAuthGrantStore, PoolScoped {
  // Both reference users, so they go before them in the wipe; the config store wipes users after the others.
  readonly tables = ['oauth_codes', 'browser_sessions', 'oauth_families'] as const;
  readonly #ctx: SqliteContext;
  readonly #s;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    this.#s = prepareAll(ctx.db, grantSql);
  }

  async issueAuthorizationCode(code: AuthorizationCodeRecord): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      if (!this.#s.userExists.get(code.poolId, code.usernameKey)) return false;
      this.#s.codePrune.run(code.createdAt - GRANT_RETENTION_MS);
      this.#s.codeInsert.run(...codeValues(code));
      return true;
    });
  }

  async redeemAuthorizationCode(poolId: string, digest: string, now: number, family?: GrantFamily): Promise<CodeRedemption> {
    return this.#ctx.writes.run((): CodeRedemption => {
      const row = this.#s.codeRedeem.get(now, digest, poolId, now) as Row | undefined;
      if (!row) return whyNotRedeemed(this.#s.codeGet.get(digest) as Row | undefined, poolId, now);
      const code = codeFromRow(row);
      if (family) {
        this.#s.familyPrune.run(now - GRANT_RETENTION_MS);
        this.#s.familyInsert.run(poolId, family.originJti, code.clientId, code.usernameKey, JSON.stringify(code.scopes), family.expiresAt);
      }
      return { kind: 'redeemed', code };
    });
  }

  async grantedScopes(poolId: string, originJti: string): Promise<string[] | undefined> {
    const row = this.#s.familyScopes.get(poolId, originJti) as Row | undefined;
    return row && (JSON.parse(String(row.scopes)) as string[]);
  }

  async startBrowserSession(session: BrowserSessionRecord): Promise<boolean> {
    return this.#ctx.writes.run(() => {
      if (!this.#s.userExists.get(session.poolId, session.usernameKey)) return false;
      this.#s.sessionPrune.run(session.createdAt - GRANT_RETENTION_MS);
      this.#s.sessionInsert.run(...browserSessionValues(session));
      return true;
    });
  }

  async browserSession(poolId: string, digest: string, now: number): Promise<BrowserSessionRecord | undefined> {
    const row = this.#s.sessionLive.get(digest, poolId, now) as Row | undefined;
    return row && browserSessionFromRow(row);
  }

  async endBrowserSession(poolId: string, digest: string, now: number): Promise<boolean> {
    return this.#ctx.writes.run(() => this.#s.sessionEnd.run(now, digest, poolId, now).changes === 1);
  }

  async browserSessionsOfUser(poolId: string, usernameKey: string, limit: number): Promise<BrowserSessionRecord[]> {
    return (this.#s.sessionsOfUser.all(poolId, usernameKey, limit) as Row[]).map(browserSessionFromRow);
  }
}
