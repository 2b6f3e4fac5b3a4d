/** @module Finds the plain-SQL migrations shipped with the package for one dialect, in order. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const root = fileURLToPath(new URL('../../migrations/', import.meta.url));

const latest = new Map<string, number>();

/** The newest migration version shipped for a dialect; read once, since readiness asks often. */
export function latestMigration(dialect: 'sqlite' | 'postgres'): number {
  let version = latest.get(dialect);
  if (version === undefined) {
    version = loadMigrations(dialect).at(-1)?.version ?? 0;
    latest.set(dialect, version);
  }
  return version;
}

export function loadMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
  const dir = `${root}${dialect}/`;
  return readdirSync(dir)
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number.parseInt(file, 10),
      name: file,
      sql: readFileSync(dir + file, 'utf8'),
    }));
}
