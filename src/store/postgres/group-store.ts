/** @module The PostgreSQL groups aggregate: a pool's groups and their members. */
import type pg from 'pg';
import type { GroupStore } from '../group-store.ts';
import type { PoolScoped } from './context.ts';

export class PostgresGroupStore implements GroupStore, PoolScoped {
  readonly tables = [] as const;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    void this.#pool;
  }
}
