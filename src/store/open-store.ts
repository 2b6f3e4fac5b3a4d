/** @module Picks the store from the `db` setting: a postgres:// URL or an SQLite file path. */
import type { ServerConfig } from '../config/config.ts';
import type { Store } from './store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';

export interface StoreHooks {
  /** Told the size of each SQLite group commit (PostgreSQL commits each intent on its own). */
  onCommitBatch?: (size: number) => void;
}

export async function openStore(config: Pick<ServerConfig, 'db' | 'sqliteSynchronous'>, hooks: StoreHooks = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//u.test(config.db)) {
    // Loaded only when used, so an SQLite-only server never loads pg.
    const { connectPostgresStore } = await import('./postgres/postgres-store.ts');
    return connectPostgresStore(config.db);
  }
  return openSqliteStore({ path: config.db, synchronous: config.sqliteSynchronous, onCommitBatch: hooks.onCommitBatch });
}
