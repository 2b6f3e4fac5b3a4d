/**
 * @module What the PostgreSQL store has sent, per process: queries, and round trips (a query sent
 * while its connection had none outstanding; queries pipelined behind it share its round trip).
 * A plain tally the store adds to and `/metrics` reads, so neither needs a handle on the other and
 * an SQLite-only server never loads pg.
 */
export interface PgTraffic {
  queries: number;
  roundTrips: number;
}

export const pgTraffic: PgTraffic = { queries: 0, roundTrips: 0 };
