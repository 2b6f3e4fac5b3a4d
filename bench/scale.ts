/**
 * @module `npm run bench:scale`: the real server on a fresh SQLite file or PostgreSQL schema, a
 * pool and client made through the API, N users seeded through the store's bulk intent on the same
 * database, then SignUp, ConfirmSignUp, ListUsers (pages, filters) and USER_PASSWORD_AUTH over
 * HTTP, with server CPU per request, database size, server RSS and the hot-path query plans.
 * `--compare` runs 1,000 users and then N and prints the cost ratio of each phase.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/store/postgres/connect.ts';
import { closeTargets, targetsFor } from './load.ts';
import { repoRoot, spawnUserpool, type Child } from './processes.ts';
import { hotPathPlans, renderPlans, type Plan } from './query-plans.ts';
import { machine } from './report.ts';
import { createScalePool, runScalePhases, type PhaseCounts, type ScalePhase, type ScalePhases } from './scale-phases.ts';
import { seedUsers, type SeedResult } from './scale-seed.ts';
import { wholeNumber } from './options.ts';

const USAGE = `usage: npm run bench:scale -- [options]
  --seed N           users seeded before measuring (default 1000000)
  --compare          run with 1000 seeded users first, then N, and print the cost ratio per phase
  --db postgres://   a fresh schema on this PostgreSQL server, dropped afterwards (default: a fresh SQLite file)
  --requests R       requests per ConfirmSignUp and ListUsers phase (default 2000)
  --hashed H         SignUps and sign-ins measured, each one argon2id hash or verification (default 500)
  --scans S          ListUsers calls with an exact username filter, one at a time (default 20)
  --concurrency C    requests in flight (default 16)
  --max-seconds T    time limit per phase (default 120)
  --out FILE         JSON results (default bench/results/scale.json)`;

const SMALL = 1000;

interface Options {
  seed: number;
  compare: boolean;
  db?: string;
  counts: PhaseCounts;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      seed: { type: 'string' }, compare: { type: 'boolean' }, db: { type: 'string' }, requests: { type: 'string' }, hashed: { type: 'string' },
      scans: { type: 'string' }, concurrency: { type: 'string' }, 'max-seconds': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = wholeNumber;
  if (values.db !== undefined && !/^postgres(ql)?:\/\//u.test(values.db)) throw new Error('--db takes a postgres:// URL');
  return {
    seed: int(values.seed, 1_000_000, 'seed', 1, 10_000_000),
    compare: values.compare ?? false,
    db: values.db,
    counts: {
      requests: int(values.requests, 2000, 'requests', 1, 1_000_000),
      hashed: int(values.hashed, 500, 'hashed', 1, 100_000),
      scans: int(values.scans, 20, 'scans', 1, 100_000),
      warmup: 100,
      concurrency: int(values.concurrency, 16, 'concurrency', 1, 1024),
      maxSeconds: int(values['max-seconds'], 120, 'max-seconds', 1, 3600),
      postgres: values.db !== undefined,
    },
    out: values.out ?? join(repoRoot, 'bench', 'results', 'scale.json'),
  };
}

interface Database {
  db: string;
  label: string;
  /** Bytes the pool's data takes: the SQLite file and its WAL, or the schema's tables with their indexes and TOAST. */
  size(): Promise<{ bytes: number; detail: Record<string, number> }>;
  cleanup(): Promise<void>;
}

function freshDatabase(postgresUrl: string | undefined): Database {
  if (!postgresUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'userpool-scale-'));
    const file = join(dir, 'userpool.db');
    const bytes = (path: string) => (existsSync(path) ? statSync(path).size : 0);
    return {
      db: file,
      label: 'fresh SQLite file in the temporary directory',
      size: async () => {
        const detail = { db: bytes(file), wal: bytes(`${file}-wal`) };
        return { bytes: detail.db + detail.wal, detail };
      },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = new URL(postgresUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('--db must point at a loopback address');
  const schema = `scale_${randomBytes(6).toString('hex')}`;
  url.searchParams.set('schema', schema);
  const admin = new URL(postgresUrl);
  admin.search = '';
  const withAdmin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    db: url.toString(),
    label: `${admin.toString()} schema ${schema}`,
    size: () =>
      withAdmin(async (client) => {
        const rows = (
          await client.query<{ tablename: string; bytes: string }>(
            `SELECT tablename, pg_total_relation_size(format('%I.%I', schemaname, tablename)::regclass) AS bytes FROM pg_tables WHERE schemaname = $1`,
            [schema],
          )
        ).rows;
        const detail = Object.fromEntries(rows.filter((r) => Number(r.bytes) > 65_536).map((r) => [r.tablename, Number(r.bytes)]));
        return { bytes: rows.reduce((sum, r) => sum + Number(r.bytes), 0), detail };
      }),
    cleanup: () => withAdmin(async (client) => void (await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))),
  };
}

/** VmRSS and VmHWM (peak) of the server, in bytes, from /proc. */
function memoryOf(pid: number): { rssBytes?: number; peakRssBytes?: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'mu').exec(status)?.[1]) * 1024 || undefined;
    return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return {};
  }
}

interface ScaleRun {
  seeded: number;
  backend: 'sqlite' | 'postgres';
  database: string;
  seed: Omit<SeedResult, 'sampleUsernames'>;
  databaseBytesAfterSeed: number;
  databaseBytesAfterRun: number;
  databaseDetail: Record<string, number>;
  serverRssBytes?: number;
  serverPeakRssBytes?: number;
  phases: ScalePhases;
  plans: Plan[];
}

async function runAt(options: Options, seed: number, log: (line: string) => void): Promise<ScaleRun> {
  const database = freshDatabase(options.db);
  let server: Child | undefined;
  try {
    server = await spawnUserpool(database.db, 'userpool (scale)');
    const targets = targetsFor([server.url], options.counts.concurrency);
    try {
      const ids = await createScalePool(targets[0]!);
      log(`seeding ${seed} users through importUsers on a ${database.label}...`);
      const seeded = await seedUsers(database.db, ids.poolId, seed, log);
      log(`  ${seed} users in ${seeded.seconds.toFixed(1)} s (${Math.round(seeded.usersPerSecond)}/s)`);
      // What autovacuum would do shortly after a bulk load anyway, done now so it does not run during a phase.
      if (options.db) await analyze(database.db);
      const afterSeed = await database.size();
      log('measuring SignUp, ConfirmSignUp, ListUsers (pages, email prefix, exact username) and USER_PASSWORD_AUTH...');
      const phases = await runScalePhases([server], targets, ids, seeded, options.counts);
      const memory = memoryOf(server.pid);
      const afterRun = await database.size();
      const plans = await hotPathPlans(database.db, ids.poolId);
      const { sampleUsernames: _, ...seedFigures } = seeded;
      return {
        seeded: seed,
        backend: options.db ? 'postgres' : 'sqlite',
        database: database.label,
        seed: seedFigures,
        databaseBytesAfterSeed: afterSeed.bytes,
        databaseBytesAfterRun: afterRun.bytes,
        databaseDetail: afterRun.detail,
        serverRssBytes: memory.rssBytes,
        serverPeakRssBytes: memory.peakRssBytes,
        phases,
        plans,
      };
    } finally {
      closeTargets(targets);
    }
  } finally {
    await server?.stop();
    await database.cleanup().catch((error: Error) => console.warn(`warning: could not remove the database: ${error.message}`));
  }
}

async function analyze(url: string): Promise<void> {
  const client = new pg.Client(parseDatabaseUrl(url).pool);
  await client.connect();
  try {
    await client.query('ANALYZE users; ANALYZE aliases');
  } finally {
    await client.end();
  }
}

const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

function renderRun(run: ScaleRun): string {
  const lines = [
    `${run.backend}, ${run.seeded} users seeded at ${Math.round(run.seed.usersPerSecond)}/s (${run.seed.seconds.toFixed(1)} s)`,
    `database ${mb(run.databaseBytesAfterSeed)} after seeding, ${mb(run.databaseBytesAfterRun)} after the run (${Object.entries(run.databaseDetail).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}); server RSS ${mb(run.serverRssBytes)}, peak ${mb(run.serverPeakRssBytes)}`,
    'phase                      requests  errors    req/s   p50 ms   p99 ms  server µs/req  database µs/req  other CPU %',
  ];
  for (const [name, p] of Object.entries(run.phases)) {
    lines.push(
      `${name.padEnd(26)} ${String(p.requests).padStart(8)} ${String(p.errors).padStart(7)} ${p.rps.toFixed(0).padStart(8)} ${p.p50Ms.toFixed(2).padStart(8)} ${p.p99Ms.toFixed(2).padStart(8)} ${(p.serverCpuUsPerRequest?.toFixed(0) ?? 'n/a').padStart(14)} ${(p.databaseCpuUsPerRequest?.toFixed(0) ?? 'n/a').padStart(16)} ${(p.otherCpuPercent?.toFixed(0) ?? 'n/a').padStart(12)}${p.truncated ? ' (truncated)' : ''}`,
    );
    if (p.firstError) lines.push(`  first error: HTTP ${p.firstError.status} ${p.firstError.body.slice(0, 200)}`);
  }
  return lines.join('\n');
}

/** CPU per request (server, plus its PostgreSQL backends) at the large size ÷ at the small size, per phase; the goal is ≤ 1.2. */
function ratios(small: ScaleRun, large: ScaleRun): Record<string, number | null> {
  const cost = (p: ScalePhase) => (p.serverCpuUsPerRequest === undefined ? undefined : p.serverCpuUsPerRequest + (p.databaseCpuUsPerRequest ?? 0));
  const out: Record<string, number | null> = {};
  for (const name of Object.keys(large.phases) as (keyof ScalePhases)[]) {
    const a = cost(small.phases[name]);
    const b = cost(large.phases[name]);
    out[name] = a && b ? b / a : null;
  }
  return out;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`bench:scale: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const sizes = options.compare && options.seed !== SMALL ? [SMALL, options.seed] : [options.seed];
  const runs: ScaleRun[] = [];
  for (const size of sizes) {
    const run = await runAt(options, size, (line) => console.log(line));
    runs.push(run);
    console.log(`\n${renderRun(run)}\n`);
    console.log(`query plans at ${size} users:\n${renderPlans(run.plans)}\n`);
  }
  const compared = runs.length === 2 ? ratios(runs[0]!, runs[1]!) : undefined;
  if (compared) {
    console.log(`CPU per request (server + database backends) at ${runs[1]!.seeded} ÷ at ${runs[0]!.seeded} (goal ≤ 1.2):`);
    for (const [name, ratio] of Object.entries(compared)) console.log(`  ${name.padEnd(26)} ${ratio === null ? 'n/a' : ratio.toFixed(2)}${ratio !== null && ratio > 1.2 ? '  above the goal' : ''}`);
  }
  const results = {
    version: 1,
    date: new Date().toISOString(),
    command: ['npm run bench:scale', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine: machine(),
    counts: options.counts,
    runs,
    ...(compared ? { ratios: compared } : {}),
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results written to ${options.out}`);
  return runs.some((run) => Object.values(run.phases).some((p) => p.errors > 0)) ? 1 : 0;
}

process.exitCode = await main();
