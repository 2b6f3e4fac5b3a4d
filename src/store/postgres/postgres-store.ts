/**
 * @module The PostgreSQL store: the SQLite store's semantics on a shared database, so several
 * stateless instances can serve one user pool. One connection pool is shared by the aggregates
 * (config, users and codes, sessions and tokens, outbox), assembled into one `Store`.
 */
import pg from 'pg';
import { assemble } from '../assemble.ts';
import { latestMigration } from '../migrations.ts';
import type { Store } from '../store.ts';
import { PostgresAccountStore } from './account-store.ts';
import { PostgresAttributeStore } from './attribute-store.ts';
import { PostgresConfigStore } from './config-store.ts';
import { PostgresGroupStore } from './group-store.ts';
import { PostgresOAuthGrantStore } from './oauth-grant-store.ts';
import { migrate, parseDatabaseUrl } from './connect.ts';
import { first } from './context.ts';
import { PostgresOutboxStore } from './outbox-store.ts';
import { PostgresSessionStore } from './session-store.ts';
import { CountingClient } from './traffic.ts';
import { PostgresUserStore } from './user-store.ts';

const PING: pg.QueryConfig = { name: 'userpool_ping', text: 'SELECT 1' };
const SCHEMA_VERSION: pg.QueryConfig = { name: 'userpool_schema_version', text: 'SELECT coalesce(max(version), 0) AS v FROM schema_migrations' };

/** Connects, applies pending migrations and checks one round trip before the server listens. */
export async function connectPostgresStore(url: string): Promise<Store> {
  const settings = parseDatabaseUrl(url);
  await migrate(settings);
  const pool = new pg.Pool({ ...settings.pool, Client: CountingClient });
  // An idle connection that dies (database restart, network cut) is dropped by the pool and
  // reported here; the next request opens a fresh one, so there is nothing else to do.
  pool.on('error', () => {});
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= pool.end());
  try {
    await pool.query(PING);
  } catch (error) {
    await close();
    throw error;
  }

  const outbox = new PostgresOutboxStore(pool);
  const sessions = new PostgresSessionStore(pool, outbox);
  const users = new PostgresUserStore(pool, { outbox, sessions });
  const accounts = new PostgresAccountStore(pool, outbox, users);
  const attributes = new PostgresAttributeStore(pool, outbox);
  const groups = new PostgresGroupStore(pool);
  const grants = new PostgresOAuthGrantStore(pool);
  const config = new PostgresConfigStore(pool, [outbox, accounts, attributes, groups, grants, sessions, users]);

  return assemble(
    {
      kind: 'postgres',
      ping: async () => {
        await pool.query(PING);
      },
      schemaCurrent: async () => Number((await first(pool, SCHEMA_VERSION))?.v ?? 0) >= latestMigration('postgres'),
      close,
    },
    { config, users, sessions, outbox, accounts, attributes, groups, grants },
  );
}
