/**
 * @module `npm run bench`: the ceiling (a bare node:http server), then the real server on a fresh
 * database: SignUp for N users, the codes from the outbox, ConfirmSignUp for all of them under
 * concurrency, and with --sign-in the sign-in phases against raw crypto rates. Prints a table and
 * writes bench/results/latest.json; never fails on the numbers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { availableParallelism } from 'node:os';
import { UsageError, wholeNumber } from './options.ts';
import { closeTargets, GENERATORS, targetsFor, type Generator, type LoadSpec, type Target } from './load.ts';
import { measureLoad as measure, warmUp, windows } from './measure.ts';
import { postgresFigures, readPostgres, readSqlite, sqliteFigures } from './store-figures.ts';
import { repoRoot, spawnCeiling, spawnUserpool, type Child } from './processes.ts';
import { machine, renderTable, TARGET_RATIO, writeResults, type BenchResults, type PhaseResult } from './report.ts';
import { ceilingBody, confirmBody, createPoolAndClient, readCodes, signUpBody, username, userStatus } from './scenario.ts';
import { runSignInPhases, type SignInOptions } from './sign-in-phases.ts';

const USAGE = `usage: npm run bench -- [options]
  --users N                 users to sign up and confirm (default 10000)
  --concurrency C           requests in flight at once (default 32)
  --warmup W                extra users signed up and confirmed before measuring (default 1000)
  --db postgres://...       run against PostgreSQL in a fresh schema (default: a fresh SQLite file)
  --instances K             server processes sharing the PostgreSQL database (default 1)
  --ceiling-requests R      requests measured against the bare server (default 20000)
  --max-seconds S           time limit per measured phase (default 300)
  --sqlite-synchronous M    FULL (default, durable) or NORMAL, to see what fsync costs
  --cpu-prof DIR            run the servers under node --cpu-prof, profiles written to DIR
  --load-generator G        undici (default) or http (node:http agents, as before December 2026)
  --server S                built (default: the compiled CLI, built first when stale) or source (through tsx)
  --out FILE                where to write the JSON (default bench/results/latest.json)
  --sign-in                 then USER_PASSWORD_AUTH, USER_SRP_AUTH and GetTokensFromRefreshToken,
                            each against a raw crypto rate measured just before it (adds ~1.5 minutes)
  --sign-ins N              measured sign-ins per password and SRP phase (default 2000)
  --refreshes R             measured GetTokensFromRefreshToken calls (default 20000)
  --raw-seconds S           length of each raw-rate measurement (default 5)
  --srp-workers W           worker threads doing the SRP client's math (default: cores - 1, at least 1)`;

interface Options {
  users: number;
  concurrency: number;
  warmup: number;
  db?: string;
  instances: number;
  ceilingRequests: number;
  maxSeconds: number;
  synchronous: 'FULL' | 'NORMAL';
  cpuProf?: string;
  generator: Generator;
  built: boolean;
  out: string;
  /** Present with --sign-in. */
  signIn?: Omit<SignInOptions, 'concurrency' | 'maxSeconds' | 'timeoutMs'>;
}

const REQUEST_TIMEOUT_MS = 30_000;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      users: { type: 'string' },
      concurrency: { type: 'string' },
      warmup: { type: 'string' },
      db: { type: 'string' },
      instances: { type: 'string' },
      'ceiling-requests': { type: 'string' },
      'max-seconds': { type: 'string' },
      'sqlite-synchronous': { type: 'string' },
      'cpu-prof': { type: 'string' },
      out: { type: 'string' },
      'load-generator': { type: 'string' },
      server: { type: 'string' },
      'sign-in': { type: 'boolean' },
      'sign-ins': { type: 'string' },
      refreshes: { type: 'string' },
      'raw-seconds': { type: 'string' },
      'srp-workers': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = wholeNumber;
  const synchronous = (values['sqlite-synchronous'] ?? 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') throw new UsageError('--sqlite-synchronous must be FULL or NORMAL');
  const generator = (values['load-generator'] ?? 'undici') as Generator;
  if (!GENERATORS.includes(generator)) throw new UsageError(`--load-generator must be one of ${GENERATORS.join(', ')}`);
  const options: Options = {
    users: int(values.users, 10_000, 'users', 1, 1_000_000),
    concurrency: int(values.concurrency, 32, 'concurrency', 1, 1024),
    warmup: int(values.warmup, 1000, 'warmup', 0, 100_000),
    db: values.db,
    instances: int(values.instances, 1, 'instances', 1, 16),
    ceilingRequests: int(values['ceiling-requests'], 20_000, 'ceiling-requests', 1, 10_000_000),
    maxSeconds: int(values['max-seconds'], 300, 'max-seconds', 1, 3600),
    synchronous,
    cpuProf: values['cpu-prof'],
    generator,
    built: (values.server ?? 'built') === 'built',
    out: values.out ?? join(repoRoot, 'bench', 'results', 'latest.json'),
    ...(values['sign-in']
      ? {
          signIn: {
            signIns: int(values['sign-ins'], 2000, 'sign-ins', 1, 1_000_000),
            refreshes: int(values.refreshes, 20_000, 'refreshes', 1, 10_000_000),
            rawSeconds: int(values['raw-seconds'], 5, 'raw-seconds', 1, 600),
            srpWorkers: int(values['srp-workers'], Math.max(1, availableParallelism() - 1), 'srp-workers', 1, 64),
          },
        }
      : {}),
  };
  const signInOnly = ['sign-ins', 'refreshes', 'raw-seconds', 'srp-workers'].filter((name) => values[name as keyof typeof values] !== undefined);
  if (!options.signIn && signInOnly.length > 0) throw new UsageError(`--${signInOnly[0]} only applies with --sign-in`);
  if (options.db !== undefined && !isPostgres(options.db)) {
    throw new UsageError('--db takes a postgres:// URL; the SQLite run always uses a fresh file in the temporary directory');
  }
  if (!['built', 'source'].includes(values.server ?? 'built')) throw new UsageError('--server must be built or source');
  if (options.instances > 1 && !options.db) throw new UsageError('--instances above 1 needs --db postgres://...: SQLite is one process');
  return options;
}


/** The compiled CLI is what `npx userpool` runs; the build script skips the work when dist/ is current. */
function buildIfStale(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
}

function isPostgres(db: string): boolean {
  return /^postgres(ql)?:\/\//u.test(db);
}

interface Database {
  /** What the servers get as --db. */
  db: string;
  label: string;
  extraArgs: string[];
  cleanup(): Promise<void>;
}

/** A fresh SQLite file, or a fresh schema on the PostgreSQL server, removed after the run. */
function prepareDatabase(options: Options): Database {
  if (!options.db) {
    const dir = mkdtempSync(join(tmpdir(), 'userpool-bench-'));
    const extraArgs: string[] = [];
    if (options.synchronous !== 'FULL') {
      // `sqliteSynchronous` is a config-file setting only; durable FULL stays the default everywhere else.
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ sqliteSynchronous: options.synchronous }));
      extraArgs.push('--config', join(dir, 'config.json'));
    }
    return {
      db: join(dir, 'userpool.db'),
      label: 'fresh SQLite file in the temporary directory',
      extraArgs,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = new URL(options.db);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new UsageError('--db must point at a loopback address');
  const schema = url.searchParams.get('schema') ?? `bench_${randomBytes(6).toString('hex')}`;
  const fresh = !url.searchParams.has('schema');
  url.searchParams.set('schema', schema);
  const admin = new URL(options.db);
  admin.search = '';
  const label = `${url.protocol}//${url.host}${url.pathname} schema ${fresh ? 'bench_<random>' : schema}`;
  return {
    db: url.toString(),
    label,
    extraArgs: [],
    cleanup: async () => {
      if (!fresh) return;
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

async function runCeiling(options: Options, children: Child[]): Promise<PhaseResult> {
  const ceiling = await spawnCeiling();
  children.push(ceiling);
  const targets = targetsFor([ceiling.url], options.concurrency, options.generator);
  try {
    const spec = (count: number, offset: number): LoadSpec => ({
      operation: 'ConfirmSignUp',
      targets,
      bodies: Array.from({ length: count }, (_, i) => ceilingBody(offset + i)),
      concurrency: options.concurrency,
      maxSeconds: options.maxSeconds,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    await warmUp(spec(Math.max(2000, options.warmup), 0), 'ceiling');
    return await measure([ceiling], spec(options.ceilingRequests, 0), 'ceiling');
  } finally {
    closeTargets(targets);
    await ceiling.stop();
    children.splice(children.indexOf(ceiling), 1);
  }
}

async function startServers(options: Options, database: Database, children: Child[]): Promise<Child[]> {
  const nodeArgs = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [];
  const servers: Child[] = [];
  // One after another: the first applies the migrations; the rest find them done.
  for (let i = 0; i < options.instances; i++) {
    const server = await spawnUserpool(database.db, `userpool instance ${i + 1}`, { nodeArgs, args: database.extraArgs, built: options.built });
    children.push(server);
    servers.push(server);
  }
  return servers;
}

async function runServer(options: Options, servers: Child[], targets: Target[]) {
  const { poolId, clientId } = await createPoolAndClient(targets[0]!);
  const total = options.warmup + options.users;
  const names = Array.from({ length: total }, (_, i) => username(i + 1));
  const load = (operation: string, bodies: Buffer[]): LoadSpec => ({
    operation,
    targets,
    bodies,
    concurrency: options.concurrency,
    maxSeconds: options.maxSeconds,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });

  const signUpBodies = names.map((name) => signUpBody(clientId, name));
  await warmUp(load('SignUp', signUpBodies.slice(0, options.warmup)), 'SignUp');
  const signUp = await measure(servers, load('SignUp', signUpBodies.slice(options.warmup)), 'signUp');

  const codes = await readCodes(servers[0]!.url, poolId);
  const confirmable = (from: number, to: number) => names.slice(from, to).filter((name) => codes.has(name));
  const warm = confirmable(0, options.warmup);
  const measured = confirmable(options.warmup, total);
  await warmUp(load('ConfirmSignUp', warm.map((name) => confirmBody(clientId, name, codes.get(name)!))), 'ConfirmSignUp');
  const confirmBodies = measured.map((name) => confirmBody(clientId, name, codes.get(name)!));
  const urls = servers.map((server) => server.url);
  // A tree from before these counters existed still runs; its table just lacks the store's line.
  const pgBefore = options.db ? await readPostgres(urls).catch(() => undefined) : undefined;
  const sqliteBefore = options.db ? undefined : await readSqlite(urls[0]!).catch(() => undefined);
  const confirm = await measure(servers, load('ConfirmSignUp', confirmBodies), 'confirmSignUp');
  const postgres = pgBefore && postgresFigures(pgBefore, await readPostgres(urls), confirm.requests, confirm.seconds);
  const sqlite = sqliteBefore && sqliteFigures(sqliteBefore, await readSqlite(urls[0]!));

  const sample = measured[Math.floor(measured.length / 2)];
  const sampleUserStatus = sample ? `${sample} is ${await userStatus(targets[0]!, poolId, sample)}` : 'no user was confirmed';

  const signIn = options.signIn
    ? await runSignInPhases({
        options: { ...options.signIn, concurrency: options.concurrency, maxSeconds: options.maxSeconds, timeoutMs: REQUEST_TIMEOUT_MS },
        servers,
        targets,
        poolId,
        clientId,
        names: [...warm, ...measured],
      })
    : undefined;
  const signInErrors = signIn ? signIn.userPasswordAuth.errors + signIn.srp.errors + signIn.refresh.errors : 0;
  const failed = signUp.errors + confirm.errors + signInErrors > 0;
  return {
    signUp,
    confirm: { ...confirm, ...(postgres ? { postgres } : {}), ...(sqlite ? { sqlite } : {}) },
    signIn,
    missingCodes: options.users - measured.length,
    sampleUserStatus,
    // What the servers printed explains failed requests better than their answers alone.
    serverOutput: failed ? servers.map((server) => server.output().slice(-4000)) : [],
  };
}

async function main(): Promise<number> {
  let options: Options;
  let database: Database;
  try {
    options = parseOptions(process.argv.slice(2));
    database = prepareDatabase(options);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const children: Child[] = [];
  const interrupt = () =>
    void Promise.all(children.map((child) => child.stop()))
      .then(() => database.cleanup())
      .finally(() => process.exit(130));
  process.once('SIGINT', interrupt);

  try {
    console.log(`measuring the ceiling (${options.ceilingRequests} requests, concurrency ${options.concurrency})...`);
    const before = await runCeiling(options, children);
    if (options.built) buildIfStale();
    console.log(`starting ${options.instances} ${options.built ? 'built' : 'source'} server instance(s) on a ${database.label}...`);
    const servers = await startServers(options, database, children);
    const targets = targetsFor(
      servers.map((server) => server.url),
      options.concurrency,
      options.generator,
    );
    let run: Awaited<ReturnType<typeof runServer>>;
    try {
      console.log(`SignUp × ${options.users} (+${options.warmup} warm-up), then ConfirmSignUp for each${options.signIn ? ', then the sign-in phases' : ''}...`);
      run = await runServer(options, servers, targets);
    } finally {
      closeTargets(targets);
      for (const server of servers) await server.stop();
      children.length = 0;
    }
    console.log('measuring the ceiling again...');
    const after = await runCeiling(options, children);
    // Noise only ever slows a run down, so the faster of the two is the better estimate of the ceiling.
    const ceiling = after.rps > before.rps ? after : before;

    const ratio = run.confirm.rps / ceiling.rps;
    const results: BenchResults = {
      version: 1,
      date: new Date().toISOString(),
      command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      machine: machine(),
      setup: {
        backend: options.db ? 'postgres' : 'sqlite',
        database: database.label,
        sqliteSynchronous: options.db ? null : options.synchronous,
        instances: options.instances,
        users: options.users,
        warmupUsers: options.warmup,
        concurrency: options.concurrency,
        loadGenerator: options.generator,
        server: options.built ? 'built' : 'source',
        ceilingRequests: options.ceilingRequests,
        maxSecondsPerPhase: options.maxSeconds,
      },
      ceiling,
      ceilingRuns: { beforeRps: before.rps, afterRps: after.rps },
      signUp: run.signUp,
      confirmSignUp: { ...run.confirm, ratioToCeiling: ratio },
      missingCodes: run.missingCodes,
      sampleUserStatus: run.sampleUserStatus,
      target: { ratio: TARGET_RATIO, met: ratio >= TARGET_RATIO },
      phaseWindows: {
        signUp: windows.signUp!,
        confirmSignUp: windows.confirmSignUp!,
        ...(run.signIn ? { userPasswordAuth: windows.userPasswordAuth!, srpSignIn: windows.srpSignIn!, refresh: windows.refresh! } : {}),
      },
      ...(run.signIn ? { signIn: run.signIn } : {}),
    };
    for (const [i, output] of run.serverOutput.entries()) console.log(`\n--- end of server instance ${i + 1}'s output ---\n${output}`);
    console.log(`\n${renderTable(results)}`);
    writeResults(options.out, results);
    console.log(`results written to ${options.out}`);
    if (options.cpuProf) {
      console.log(`server profiles in ${options.cpuProf}; summarise the ConfirmSignUp phase with:`);
      console.log(`  node --import tsx bench/profile-summary.ts ${options.cpuProf}/<file>.cpuprofile --results ${options.out} --phase confirmSignUp`);
      if (options.signIn) console.log('  (or --phase userPasswordAuth, srpSignIn, refresh)');
    }
    return 0;
  } catch (error) {
    console.error(`bench: the run could not complete: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    process.off('SIGINT', interrupt);
    await Promise.all(children.map((child) => child.stop()));
    await database.cleanup().catch((error: Error) => console.warn(`warning: could not remove the benchmark database: ${error.message}`));
  }
}

process.exitCode = await main();
