/** @module Picks the store from the `db` setting: a postgres:// URL or an SQLite file path. */
import type { ServerConfig } from '../config/config.ts';
import type { Store } from './store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

export async function openStore(config: Pick<ServerConfig, 'db' | 'sqliteSynchronous'>): Promise<Store> {
  if (/^postgres(ql)?:\/\//u.test(config.db)) {
    const { PostgresStore } = await import('./postgres/postgres-store.ts');
    return PostgresStore.connect(config.db);
  }
  return new SqliteStore({ path: config.db, synchronous: config.sqliteSynchronous });
}
