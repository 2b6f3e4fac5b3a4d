/**
 * @module What the store did during a phase, from the servers' own counters on /metrics: on
 * SQLite the group commits' batch sizes and fsync times; on PostgreSQL round trips and queries per
 * request, and PostgreSQL's CPU from its processes in /proc, so that "confirmations per PostgreSQL
 * core" does not depend on what else the machine was doing.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface PostgresFigures {
  roundTripsPerRequest: number;
  queriesPerRequest: number;
  /** All `postgres` processes, in % of one core over the phase. */
  postgresCpuPercent: number;
  /** Requests per second the phase would reach with one PostgreSQL core fully busy. */
  requestsPerPostgresCore: number;
}

export interface SqliteFigures {
  commits: number;
  writesPerCommit: number;
  meanFsyncMs: number;
}

interface Reading {
  roundTrips: number;
  queries: number;
  postgresSeconds: number;
}

interface SqliteReading {
  commits: number;
  writes: number;
  syncs: number;
  syncSeconds: number;
}

const TICKS_PER_SECOND = 100;

/** User + system CPU of every process whose name is `postgres`, in seconds. */
function postgresCpuSeconds(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/u.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process left between the listing and the read.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

async function counters(url: string, names: readonly string[]): Promise<number[]> {
  const lines = (await (await fetch(new URL('/metrics', url))).text()).split('\n');
  return names.map((name) => {
    const line = lines.find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`${url}/metrics has no ${name}`);
    return Number(line.slice(name.length + 1));
  });
}

/** The counters are per process, so each server's are read and summed. */
export async function readPostgres(urls: readonly string[]): Promise<Reading> {
  let roundTrips = 0;
  let queries = 0;
  for (const url of urls) {
    const [trips, sent] = await counters(url, ['userpool_postgres_round_trips_total', 'userpool_postgres_queries_total']);
    roundTrips += trips!;
    queries += sent!;
  }
  return { roundTrips, queries, postgresSeconds: postgresCpuSeconds() };
}

export async function readSqlite(url: string): Promise<SqliteReading> {
  const [commits, writes, syncs, syncSeconds] = await counters(url, [
    'userpool_sqlite_commit_batch_size_count',
    'userpool_sqlite_commit_batch_size_sum',
    'userpool_sqlite_fsync_seconds_count',
    'userpool_sqlite_fsync_seconds_sum',
  ]);
  return { commits: commits!, writes: writes!, syncs: syncs!, syncSeconds: syncSeconds! };
}

export function sqliteFigures(before: SqliteReading, after: SqliteReading): SqliteFigures {
  const commits = after.commits - before.commits;
  const syncs = after.syncs - before.syncs;
  return {
    commits,
    writesPerCommit: commits > 0 ? (after.writes - before.writes) / commits : 0,
    meanFsyncMs: syncs > 0 ? ((after.syncSeconds - before.syncSeconds) / syncs) * 1000 : 0,
  };
}

/**
 * Each scrape itself costs a query or two (the outbox gauges) and the idle outbox poll adds about
 * one a second; over a phase of thousands of requests both vanish in the rounding.
 */
export function postgresFigures(before: Reading, after: Reading, requests: number, seconds: number): PostgresFigures {
  const cpu = after.postgresSeconds - before.postgresSeconds;
  return {
    roundTripsPerRequest: (after.roundTrips - before.roundTrips) / requests,
    queriesPerRequest: (after.queries - before.queries) / requests,
    postgresCpuPercent: (cpu / seconds) * 100,
    requestsPerPostgresCore: cpu > 0 ? requests / cpu : 0,
  };
}
