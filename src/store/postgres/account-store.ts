/** @module The PostgreSQL account aggregate: password recovery codes and password changes. */
import type pg from 'pg';
import type { AccountStore } from '../account-store.ts';
import type { PoolScoped } from './context.ts';

export class PostgresAccountStore implements AccountStore, PoolScoped {
  readonly tables = [] as const;
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    void this.#pool;
  }
}
