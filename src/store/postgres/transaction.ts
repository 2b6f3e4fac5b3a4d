/**
 * @module One PostgreSQL transaction per store intent: BEGIN, the work, COMMIT; a connection whose
 * state is unknown (timeout, lost socket) is destroyed instead of going back to the pool. The
 * pool's connections pipeline (node-postgres `pipeline`), so BEGIN travels with the work's first
 * statements, and work that knows its statements in advance can send them, and the COMMIT, together.
 */
import pg from 'pg';

/** Thrown by transaction work to undo everything and still return `value` to the caller. */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/** serialization_failure and deadlock_detected: the server undid the transaction, so running it again is safe. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TRIES = 3;

/** Statements sent back to back on the transaction's connection: one round trip for all of them. */
export interface Pipeline {
  /** Resolves with every result in order, or rejects with the first failure (the statements after it fail as aborted). */
  send(queries: readonly pg.QueryConfig[]): Promise<pg.QueryResult[]>;
  /** `send` with COMMIT behind the statements: once it resolves the work is committed, so it must be the work's last step. */
  commit(queries: readonly pg.QueryConfig[]): Promise<pg.QueryResult[]>;
}

export type Work<T> = (client: pg.PoolClient, pipeline: Pipeline) => Promise<T>;

export async function inTransaction<T>(pool: pg.Pool, work: Work<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(pool, work);
    } catch (error) {
      if (attempt < MAX_TRIES && error instanceof pg.DatabaseError && RETRYABLE.has(error.code ?? '')) continue;
      throw error;
    }
  }
}

async function once<T>(pool: pg.Pool, work: Work<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no listener of the pool's; an error between two statements would
  // otherwise be an unhandled 'error' event and take the process down.
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  // Not awaited: the work's first statements go out right behind it. BEGIN fails only with the
  // connection, and then so does everything sent after it.
  const begun = client.query('BEGIN');
  begun.catch(() => {});
  try {
    let value: T;
    try {
      value = await work(client, pipeline(client));
      await begun;
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
      await begun;
      if (client.getTransactionStatus() !== 'I') await client.query('ROLLBACK');
      return error.value as T;
    }
    // Idle here means the work's last batch carried the COMMIT.
    if (client.getTransactionStatus() !== 'I') await client.query('COMMIT');
    return value;
  } catch (error) {
    // Only an error the server reported leaves the session in a known state; anything else may
    // leave a transaction open on a connection we can no longer trust.
    if (error instanceof pg.DatabaseError && !broken) {
      if (client.getTransactionStatus() !== 'I') {
        await client.query('ROLLBACK').catch((failure: Error) => {
          broken = failure;
        });
      }
    } else {
      broken ??= error instanceof Error ? error : new Error(String(error));
    }
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

const COMMIT: pg.QueryConfig = { text: 'COMMIT' };

function pipeline(client: pg.PoolClient): Pipeline {
  const send = async (queries: readonly pg.QueryConfig[]): Promise<pg.QueryResult[]> => {
    const settled = await Promise.allSettled(queries.map((query) => client.query(query)));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const results = settled.map((s) => (s as PromiseFulfilledResult<pg.QueryResult>).value);
    // The first batch follows the unawaited BEGIN: its statements must not have run on their own.
    if (client.getTransactionStatus() === 'I' && results.at(-1)?.command !== 'COMMIT') throw new Error('statements ran outside their transaction');
    return results;
  };
  return {
    send,
    async commit(queries) {
      const results = await send([...queries, COMMIT]);
      // An aborted transaction answers COMMIT with ROLLBACK; a statement before it has rejected already.
      if (results.pop()?.command !== 'COMMIT') throw new Error('the transaction did not commit');
      return results;
    },
  };
}
