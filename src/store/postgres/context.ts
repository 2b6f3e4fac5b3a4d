/**
 * @module What the PostgreSQL aggregates share: the connection pool, named statements (each
 * connection parses and plans one once), and the hook the config aggregate calls when a pool is
 * deleted. Helpers one aggregate offers another take the caller's transaction client.
 */
import type pg from 'pg';

export type Row = Record<string, unknown>;
export type Db = pg.Pool | pg.PoolClient;

/** What the config aggregate needs from the others when a pool is deleted or everything is wiped. */
export interface PoolScoped {
  readonly tables: readonly string[];
  /** Deletes the pool's rows that no foreign key cascades to; runs inside the pool's deletion. */
  forgetPool?(c: pg.PoolClient, poolId: string): Promise<void>;
}

/**
 * A function naming one aggregate's statements. Names carry the aggregate, because pg refuses a
 * name reused on one connection with different text.
 */
export function statements<S extends Record<string, string>>(aggregate: string, sql: S) {
  return (name: keyof S & string, values: unknown[] = []): pg.QueryConfig => ({ name: `userpool_${aggregate}_${name}`, text: sql[name]!, values });
}

/** The first row of a statement's result, if any. */
export async function first(db: Db, query: pg.QueryConfig): Promise<Row | undefined> {
  return (await db.query(query)).rows[0] as Row | undefined;
}
