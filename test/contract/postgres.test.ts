/**
 * @module Runs the store contract against PostgreSQL: two pooled store instances on one schema
 * made for this run and dropped after it. Skipped, with a printed line saying how to enable it,
 * when no PostgreSQL is configured or listening.
 */
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { freshSchema, postgresForTests, skipReason } from '../helpers/postgres.ts';
import { storeContract } from './store-contract.ts';

const what = 'store contract on PostgreSQL (test/contract/postgres.test.ts)';
const base = await postgresForTests(what);

storeContract(
  'postgres',
  async () => {
    const schema = freshSchema(base!);
    return {
      open: () => PostgresStore.connect(schema.url),
      cleanup: () => schema.drop(),
    };
  },
  { skip: skipReason(base, what) },
);
