/** @module The SQLite groups aggregate: a pool's groups and their members. */
import type { GroupStore } from '../group-store.ts';
import type { PoolScoped, SqliteContext } from './context.ts';

export class SqliteGroupStore implements GroupStore, PoolScoped {
  readonly tables = [] as const;
  readonly #ctx: SqliteContext;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    void this.#ctx;
  }
}
