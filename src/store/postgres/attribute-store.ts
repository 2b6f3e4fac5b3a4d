/** @module The PostgreSQL attributes aggregate: attribute changes and their verification codes. */
import type pg from 'pg';
import type { AttributeStore } from '../attribute-store.ts';
import type { PoolScoped } from './context.ts';

export class PostgresAttributeStore implements AttributeStore, PoolScoped {
  readonly tables = [] as const;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    void this.#pool;
  }
}
