/** @module Opens an SQLite database file with durable settings and brings its schema up to date. */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import type { CommitHooks } from './group-commit.ts';
import { dirname } from 'node:path';
import { loadMigrations } from '../migrations.ts';

export interface SqliteOptions {
  path: string;
  /** `FULL` (default) fsyncs every commit, so an acknowledged confirmation survives power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  commitHooks?: CommitHooks;
}

export interface OpenedSqlite {
  db: Database.Database;
  /** The `-wal` file, open for fsync, when commits must be durable; closed by `close`. */
  walFd: number | undefined;
  close(): void;
}

/**
 * With `FULL`, SQLite itself would fsync inside COMMIT, on the event loop. Instead the connection
 * runs at `NORMAL`, which in WAL mode never corrupts the database and only leaves the last commits
 * unsynced, and the group committer fsyncs the WAL file off the event loop before it answers anyone.
 * The descriptor stays valid for the life of the connection: SQLite removes a WAL file only when
 * its last connection closes.
 */
export function openSqlite(options: SqliteOptions): OpenedSqlite {
  const file = options.path !== ':memory:' && options.path !== '';
  if (file) ownerOnly(options.path);
  const db = new Database(options.path);
  const durable = (options.synchronous ?? 'FULL') === 'FULL' && file;
  db.pragma('journal_mode = WAL');
  // Migrations commit on their own, so they are synced by SQLite itself; the requests' writes go
  // through the group committer, which syncs after each batch.
  db.pragma(`synchronous = ${durable ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  // Another process (a second CLI, a backup) may briefly hold the write lock.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  db.pragma('synchronous = NORMAL');
  if (durable && !existsSync(`${options.path}-wal`)) throw new Error(`SQLite did not create ${options.path}-wal in WAL mode`);
  const walFd = durable ? openSync(`${options.path}-wal`, 'r') : undefined;
  return {
    db,
    walFd,
    close: () => {
      db.close();
      if (walFd !== undefined) closeSync(walFd);
    },
  };
}

/**
 * The database holds password hashes, sealed secrets and code digests: nobody but the server's user
 * should read it. A directory we create is 0700; the file is created 0600 before SQLite opens it,
 * and SQLite gives its -wal and -shm files the database file's mode. Files an older version left
 * readable by others are narrowed too; a directory the operator made is left as they made it.
 */
function ownerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    db.prepare('SELECT version FROM schema_migrations').all().map((row) => (row as { version: number }).version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of loadMigrations('sqlite')) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}
