/**
 * @module One PostgreSQL transaction per store intent: BEGIN, the work, COMMIT; a connection whose
 * state is unknown (timeout, lost socket) is destroyed instead of going back to the pool.
 */
import pg from 'pg';

/** Thrown by transaction work to undo everything and still return `value` to the caller. */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/** serialization_failure and deadlock_detected: the server undid the transaction, so running it again is safe. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TRIES = 3;

export type Work<T> = (client: pg.PoolClient) => Promise<T>;

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
  try {
    await client.query('BEGIN');
    let value: T;
    try {
      value = await work(client);
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
      await client.query('ROLLBACK');
      return error.value as T;
    }
    await client.query('COMMIT');
    return value;
  } catch (error) {
    // Only an error the server reported leaves the session in a known state; anything else may
    // leave a transaction open on a connection we can no longer trust.
    if (error instanceof pg.DatabaseError && !broken) {
      await client.query('ROLLBACK').catch((failure: Error) => {
        broken = failure;
      });
    } else {
      broken ??= error instanceof Error ? error : new Error(String(error));
    }
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
