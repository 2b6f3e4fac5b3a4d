/** @module The SQLite attributes aggregate: attribute changes and their verification codes. */
import type { AttributeStore } from '../attribute-store.ts';
import type { PoolScoped, SqliteContext } from './context.ts';

export class SqliteAttributeStore implements AttributeStore, PoolScoped {
  readonly tables = [] as const;
  readonly #ctx: SqliteContext;

  constructor(ctx: SqliteContext) {
    this.#ctx = ctx;
    void this.#ctx;
  }
}
