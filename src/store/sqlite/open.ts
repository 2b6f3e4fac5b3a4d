/** @module Opens an SQLite database file with durable settings and brings its schema up to date. */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadMigrations } from '../migrations.ts';

export interface SqliteOptions {
  path: string;
  /** `FULL` (default) fsyncs every commit, so an acknowledged confirmation survives power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Told the number of writes in each group commit. */
  onCommitBatch?: (size: number) => void;
}

export function openSqlite(options: SqliteOptions): Database.Database {
  if (options.path !== ':memory:') ownerOnly(options.path);
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  db.pragma('foreign_keys = ON');
  // Another process (a second CLI, a backup) may briefly hold the write lock.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
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
