/**
 * @module Turns a postgres:// URL into a bounded connection pool and brings the schema up to date
 * under an advisory lock, so instances started together migrate once and never race.
 */
import pg from 'pg';
import { ConfigError } from '../../config/config.ts';
import { loadMigrations } from '../migrations.ts';

export interface PgSettings {
  pool: pg.PoolConfig;
  /** Schema that holds the tables (search_path); absent means the database's default. */
  schema?: string;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_POOL_MAX = 10;
/** Waiting for another instance's migration, or building an index, may take longer than a request. */
const MIGRATION_TIMEOUT_MS = 5 * 60_000;

/**
 * Reads our own query parameters (`schema`, `pool_max`, `timeout_ms`) and leaves the rest to pg.
 * Every wait is bounded by `timeout_ms` so that a database that goes away turns into errors, not
 * into requests that hang: connecting, waiting for a pooled connection, a statement on the server,
 * and (one second later) the client's own read timeout for when the server cannot even answer.
 */
export function parseDatabaseUrl(url: string): PgSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('the PostgreSQL URL is not a valid URL (expected postgres://user@host:port/database)');
  }
  const take = (name: string): string | undefined => {
    const value = parsed.searchParams.get(name) ?? undefined;
    parsed.searchParams.delete(name);
    return value;
  };
  const schema = take('schema');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/u.test(schema)) {
    throw new ConfigError(`schema "${schema}" must be a lower-case SQL identifier (a-z, 0-9, _)`);
  }
  const timeout = positiveInt(take('timeout_ms'), DEFAULT_TIMEOUT_MS, 'timeout_ms');
  const max = positiveInt(take('pool_max'), DEFAULT_POOL_MAX, 'pool_max');
  return {
    schema,
    pool: {
      connectionString: parsed.toString(),
      max,
      connectionTimeoutMillis: timeout,
      statement_timeout: timeout,
      query_timeout: timeout + 1000,
      // A client that vanished mid-transaction must not hold user rows locked for long.
      idle_in_transaction_session_timeout: timeout,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
      application_name: 'userpool',
      // Statements are written as soon as they are issued, so a transaction can send several (and
      // its BEGIN or COMMIT) in one round trip; each still has its own sync point and answer.
      pipeline: true,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    },
  };
}

function positiveInt(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${text}"`);
  return value;
}

/**
 * Applies the pending migrations on a connection of its own. The session-level advisory lock is
 * keyed by schema, so parallel test runs in different schemas do not wait on each other, and it is
 * released by the server if this process dies while holding it.
 */
export async function migrate(settings: PgSettings): Promise<void> {
  const client = new pg.Client({
    ...settings.pool,
    statement_timeout: MIGRATION_TIMEOUT_MS,
    query_timeout: MIGRATION_TIMEOUT_MS + 1000,
    idle_in_transaction_session_timeout: MIGRATION_TIMEOUT_MS,
    // Migrations are multi-statement scripts run one at a time; nothing to gain from pipelining.
    pipeline: false,
  });
  // A lost connection is reported through the pending query; the listener keeps it from crashing the process.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`userpool-migrations:${settings.schema ?? ''}`]);
    if (settings.schema) {
      const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [settings.schema]);
      if (found.rowCount === 0) await client.query(`CREATE SCHEMA "${settings.schema}"`);
    }
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const migration of loadMigrations('postgres')) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
}
