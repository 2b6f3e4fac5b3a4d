/**
 * @module What the SQLite aggregates share: one connection, one group committer that every write of
 * every aggregate joins (so a sign-up and a sign-in queued together share one fsync), and the
 * config cache. Helpers one aggregate offers another run inside the caller's write, synchronously.
 */
import type Database from 'better-sqlite3';
import type { ConfigCache } from './config-cache.ts';
import type { GroupCommitter } from './group-commit.ts';

export interface SqliteContext {
  db: Database.Database;
  writes: GroupCommitter;
  cache: ConfigCache;
}

export type Row = Record<string, unknown>;

/** What the config aggregate needs from the others when a pool is deleted or everything is wiped. */
export interface PoolScoped {
  /** The aggregate's tables, children before parents, for the wipe. */
  readonly tables: readonly string[];
  /** Deletes the pool's rows that no foreign key cascades to; runs inside the pool's deletion. */
  forgetPool?(poolId: string): void;
}

/** Prepares every statement of a map once, when the aggregate is built. */
export function prepareAll<K extends string>(db: Database.Database, sql: Record<K, string>): Record<K, Database.Statement> {
  const out = {} as Record<K, Database.Statement>;
  for (const name of Object.keys(sql) as K[]) out[name] = db.prepare(sql[name]);
  return out;
}
