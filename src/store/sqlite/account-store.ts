/** @module The SQLite account aggregate: password recovery codes and password changes. */
import type { AccountStore } from '../account-store.ts';
import type { PoolScoped, SqliteContext } from './context.ts';

export class SqliteAccountStore implements AccountStore, PoolScoped {
  readonly tables = [] as const;
  readonly #ctx: SqliteContext;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    void this.#ctx;
  }
}
