/** @module Finds the plain-SQL migrations shipped with the package for one dialect, in order. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const root = fileURLToPath(new URL('../../migrations/', import.meta.url));

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
