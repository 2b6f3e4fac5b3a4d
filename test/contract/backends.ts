/**
 * @module Runs a part of the store contract over every backend: SQLite (two store instances on one
 * file) and PostgreSQL (two pooled instances on a schema made for the run and dropped after it).
 * PostgreSQL is skipped, with a printed line saying how to enable it, when none is configured or
 * listening. Two instances on one database are the shape of several server instances.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { connectPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { freshSchema, postgresForTests, skipReason } from '../helpers/postgres.ts';

export interface StoreHarness {
  /** Opens one more store instance on the same database. */
  open(): Promise<Store>;
  /** Removes the database once every store opened here is closed. */
  cleanup(): Promise<void>;
}

interface Backend {
  name: string;
  setup: () => Promise<StoreHarness>;
  skip: string | false;
}

const sqlite: Backend = {
  name: 'sqlite',
  skip: false,
  setup: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'userpool-contract-'));
    const path = join(dir, 'store.db');
    return { open: async () => openSqliteStore({ path }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const what = 'store contract on PostgreSQL (test/contract/*.test.ts)';
const base = await postgresForTests(what);

const postgres: Backend = {
  name: 'postgres',
  skip: skipReason(base, what),
  setup: async () => {
    const schema = freshSchema(base!);
    return { open: () => connectPostgresStore(schema.url), cleanup: () => schema.drop() };
  },
};

/**
 * Declares `body` once per backend. `store` and `second` are two instances on one database; they
 * are opened in `before`, so `body` gets stand-ins that forward to whichever instance is open.
 */
export function forEachBackend(aggregate: string, body: (store: Store, second: Store) => void): void {
  for (const backend of [sqlite, postgres]) {
    describe(`store contract, ${aggregate}: ${backend.name}`, { skip: backend.skip }, () => {
      let harness: StoreHarness | undefined;
      const open: { store?: Store; second?: Store } = {};
      before(async () => {
        harness = await backend.setup();
        open.store = await harness.open();
        open.second = await harness.open();
      });
      after(async () => {
        await open.second?.close();
        await open.store?.close();
        await harness?.cleanup();
      });
      body(forwarder(() => open.store), forwarder(() => open.second));
    });
  }
}

function forwarder(current: () => Store | undefined): Store {
  return new Proxy({} as Store, {
    get(_, property) {
      const target = current();
      if (!target) throw new Error('the store is used before the suite opened it');
      return Reflect.get(target, property, target) as unknown;
    },
  });
}
