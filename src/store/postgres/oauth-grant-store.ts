/**
 * @module The PostgreSQL OAuth grants aggregate: authorization codes and browser sessions shared by
 * every instance. A redemption is one conditional UPDATE, so among instances redeeming one code at
 * once exactly one sees its row come back; the others are told why not from the committed row.
 */
import pg from 'pg';
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
import { first, type PoolScoped } from './context.ts';
import { q } from './oauth-grant-statements.ts';
import { inTransaction } from './transaction.ts';

/** foreign_key_violation: the user was deleted between the existence check and the insert's own check. */
const FOREIGN_KEY_VIOLATION = '23503';

export class PostgresOAuthGrantStore implements OAuthGrantStore, PoolScoped {
  // Both reference users, so they go before them in the wipe.
  readonly tables = ['oauth_codes', 'browser_sessions', 'oauth_families'] as const;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async issueAuthorizationCode(code: AuthorizationCodeRecord): Promise<boolean> {
    // The prune is housekeeping: its own statement, so it never holds the insert up or fails it.
    await this.#pool.query(q('codePrune', [code.createdAt - GRANT_RETENTION_MS]));
    return this.#insert(q('codeInsert', codeValues(code)));
  }

  async redeemAuthorizationCode(poolId: string, digest: string, now: number, family?: GrantFamily): Promise<CodeRedemption> {
    if (family) await this.#pool.query(q('familyPrune', [now - GRANT_RETENTION_MS]));
    return inTransaction(this.#pool, async (c): Promise<CodeRedemption> => {
      const row = await first(c, q('codeRedeem', [now, digest, poolId]));
      if (!row) return whyNotRedeemed(await first(c, q('codeGet', [digest])), poolId, now);
      const code = codeFromRow(row);
      if (family) await c.query(q('familyInsert', [poolId, family.originJti, code.clientId, code.usernameKey, JSON.stringify(code.scopes), family.expiresAt]));
      return { kind: 'redeemed', code };
    });
  }

  async grantedScopes(poolId: string, originJti: string): Promise<string[] | undefined> {
    const row = await first(this.#pool, q('familyScopes', [poolId, originJti]));
    return row && (JSON.parse(String(row.scopes)) as string[]);
  }

  async startBrowserSession(session: BrowserSessionRecord): Promise<boolean> {
    await this.#pool.query(q('sessionPrune', [session.createdAt - GRANT_RETENTION_MS]));
    return this.#insert(q('sessionInsert', browserSessionValues(session)));
  }

  async browserSession(poolId: string, digest: string, now: number): Promise<BrowserSessionRecord | undefined> {
    const row = await first(this.#pool, q('sessionLive', [digest, poolId, now]));
    return row && browserSessionFromRow(row);
  }

  async endBrowserSession(poolId: string, digest: string, now: number): Promise<boolean> {
    return (await this.#pool.query(q('sessionEnd', [now, digest, poolId]))).rowCount === 1;
  }

  async browserSessionsOfUser(poolId: string, usernameKey: string, limit: number): Promise<BrowserSessionRecord[]> {
    return (await this.#pool.query(q('sessionsOfUser', [poolId, usernameKey, limit]))).rows.map(browserSessionFromRow);
  }

  async #insert(query: pg.QueryConfig): Promise<boolean> {
    try {
      return (await this.#pool.query(query)).rowCount === 1;
    } catch (error) {
      if (error instanceof pg.DatabaseError && error.code === FOREIGN_KEY_VIOLATION) return false;
      throw error;
    }
  }
}
