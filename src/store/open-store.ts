/** @module Picks the store from the `db` setting: a postgres:// URL or an SQLite file path. */
import type { ServerConfig } from '../config/config.ts';
import type { Store } from './store.ts';
import type { CommitHooks } from './sqlite/group-commit.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';

/** Told the size and fsync time of each SQLite group commit (PostgreSQL commits each intent on its own). */
export type StoreHooks = CommitHooks;

export async function openStore(config: Pick<ServerConfig, 'db' | 'sqliteSynchronous'>, hooks: StoreHooks = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//u.test(config.db)) {
    // Loaded only when used, so an SQLite-only server never loads pg.
    const { connectPostgresStore } = await import('./postgres/postgres-store.ts');
    return connectPostgresStore(config.db);
  }
  return openSqliteStore({ path: config.db, synchronous: config.sqliteSynchronous, commitHooks: hooks });
}
