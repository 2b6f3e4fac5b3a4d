/**
 * @module A pg client that counts its queries and round trips into the process's tally, which
 * `/metrics` reports as userpool_postgres_queries_total and userpool_postgres_round_trips_total.
 */
import pg from 'pg';
import { pgTraffic } from '../../metrics/postgres-traffic.ts';

type Settled = (error: unknown, result?: unknown) => void;

/**
 * A pg client that counts its queries. The count is taken where the query is handed to the
 * connection, so it includes pool.query, transactions and the pings of the health check.
 */
export class CountingClient extends pg.Client {
  #outstanding = 0;

  override query(...args: unknown[]): never {
    pgTraffic.queries++;
    if (this.#outstanding === 0) pgTraffic.roundTrips++;
    this.#outstanding++;
    let pending = true;
    const settle = () => {
      if (pending) this.#outstanding--;
      pending = false;
    };
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = ((error: unknown, result?: unknown) => {
        settle();
        (callback as Settled)(error, result);
      }) satisfies Settled;
    }
    const result = (super.query as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) result.then(settle, settle);
    else if (typeof callback !== 'function') settle();
    return result as never;
  }
}
