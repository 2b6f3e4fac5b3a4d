/** @module The benchmark's results: the JSON record written to bench/results/ and the tables printed for people. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { RawRate } from './crypto-rates.ts';
import type { Generator, LoadResult } from './load.ts';
import type { PostgresFigures, SqliteFigures } from './store-figures.ts';

export const TARGET_RATIO = 0.35;
/** Other processes' CPU (percent of one core) above which a run is flagged as measured on a busy machine. */
const NOISE_PERCENT = 15;

export interface PhaseResult extends LoadResult {
  /** Percent of one core the server processes used during the phase (200 = two cores busy). */
  serverCpuPercent?: number;
  /** Server CPU (all instances, all threads) ÷ requests answered, in microseconds: what a request costs. */
  serverCpuUsPerRequest?: number;
  /**
   * The servers' main threads alone (summed over instances): near 100% per instance, a phase is
   * bound by JavaScript and synchronous native calls there, whatever the thread pool could add.
   */
  serverMainThreadCpuPercent?: number;
  /** Percent of one core the load generator itself used. */
  benchCpuPercent: number;
  /**
   * Percent of one core every other process on the machine used meanwhile: PostgreSQL in a
   * PostgreSQL run, otherwise noise that makes the figures less trustworthy.
   */
  otherCpuPercent?: number;
}

/** A phase against the raw rate of what bounds it: bound = raw ÷ raw operations per phase operation. */
export interface Ratio {
  rawPerSecond: number;
  perOperation: number;
  boundPerSecond: number;
  ratio: number;
  goal: number;
  met: boolean;
}

/** Written only by runs with `--sign-in`. */
export interface SignInResults {
  signIns: number;
  refreshes: number;
  srpWorkers: number;
  rawSeconds: number;
  /** Refresh tokens the USER_PASSWORD_AUTH sign-ins returned; the refresh phase goes round them. */
  refreshTokens: number;
  raw: { argon2: RawRate; modexp: RawRate; rs256: RawRate; rs256Pool: RawRate };
  userPasswordAuth: PhaseResult & Ratio;
  /** `requests` are whole sign-ins; steps are [InitiateAuth, the client's claim, RespondToAuthChallenge]. */
  srp: PhaseResult & Ratio & { stepP50Ms: number[]; stepP99Ms: number[] };
  /** Judged against signatures on one thread; `threadPool` against the callback form at the bench's concurrency. */
  refresh: PhaseResult & Ratio & { threadPool: Ratio };
}

export interface BenchResults {
  version: 1;
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  setup: {
    backend: 'sqlite' | 'postgres';
    /** Where the data lived, without credentials or machine-specific paths. */
    database: string;
    sqliteSynchronous: 'FULL' | 'NORMAL' | null;
    instances: number;
    users: number;
    warmupUsers: number;
    concurrency: number;
    /** Absent in results written before the undici generator existed: those used node:http. */
    loadGenerator?: Generator;
    /** Absent in results written before December 2026: those ran the sources through tsx. */
    server?: 'built' | 'source';
    ceilingRequests: number;
    maxSecondsPerPhase: number;
  };
  /** The faster of the two ceiling runs, one before the real server starts and one after it stops. */
  ceiling: PhaseResult;
  ceilingRuns: { beforeRps: number; afterRps: number };
  signUp: PhaseResult;
  /** The store's own figures for the phase, `sqlite` or `postgres` after the backend (absent in results before December 2026). */
  confirmSignUp: PhaseResult & { ratioToCeiling: number; postgres?: PostgresFigures; sqlite?: SqliteFigures };
  /** Users whose code was missing from the outbox after SignUp (0 in a good run). */
  missingCodes: number;
  /** AdminGetUser's UserStatus for one measured user after the run: CONFIRMED in a good run. */
  sampleUserStatus: string;
  target: { ratio: number; met: boolean };
  /**
   * Each measured phase's start and end in CLOCK_MONOTONIC microseconds, the clock of V8's CPU
   * profiles (and of `perf record -k CLOCK_MONOTONIC`), for cutting a phase out of a profile.
   */
  phaseWindows: { signUp: [number, number]; confirmSignUp: [number, number] } & Partial<Record<'userPasswordAuth' | 'srpSignIn' | 'refresh', [number, number]>>;
  signIn?: SignInResults;
}

export function machine(): BenchResults['machine'] {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function writeResults(path: string, results: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

const COLUMNS = ['phase', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'server CPU', 'CPU/req µs', 'main thread', 'bench CPU', 'other CPU', 'vs ceiling'];

export function renderTable(r: BenchResults): string {
  const row = (name: string, p: PhaseResult, ratio: string) => [
    name + (p.truncated ? ' (time limit hit)' : ''),
    String(p.requests),
    String(p.errors),
    p.rps.toFixed(1),
    p.p50Ms.toFixed(2),
    p.p99Ms.toFixed(2),
    p.maxMs.toFixed(1),
    p.serverCpuPercent === undefined ? '-' : `${p.serverCpuPercent.toFixed(0)}%`,
    p.serverCpuUsPerRequest === undefined ? '-' : p.serverCpuUsPerRequest.toFixed(0),
    p.serverMainThreadCpuPercent === undefined ? '-' : `${p.serverMainThreadCpuPercent.toFixed(0)}%`,
    `${p.benchCpuPercent.toFixed(0)}%`,
    p.otherCpuPercent === undefined ? '-' : `${p.otherCpuPercent.toFixed(0)}%`,
    ratio,
  ];
  const rows = [
    COLUMNS,
    row('ceiling (bare node:http)', r.ceiling, '100%'),
    row('SignUp', r.signUp, percent(r.signUp.rps / r.ceiling.rps)),
    row('ConfirmSignUp', r.confirmSignUp, percent(r.confirmSignUp.ratioToCeiling)),
    ...signInPhases(r).map(([name, p]) => row(name, p, percent(p.rps / r.ceiling.rps))),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((cells) => cells[i]!.length)));
  const lines = rows.map((cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));

  const s = r.setup;
  const store = s.backend === 'sqlite' ? `sqlite (synchronous=${s.sqliteSynchronous})` : 'postgres';
  const header =
    `userpool benchmark: ${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.machine.node}\n` +
    `${store}, ${s.instances} instance${s.instances === 1 ? '' : 's'}, ${s.users} users (+${s.warmupUsers} warm-up), concurrency ${s.concurrency}, ${s.loadGenerator ?? 'http'} load generator, ${s.server ?? 'source'} server`;
  const notes: string[] = [];
  for (const [name, p] of [['ceiling', r.ceiling], ['SignUp', r.signUp], ['ConfirmSignUp', r.confirmSignUp], ...signInPhases(r)] as const) {
    if (p.firstError) notes.push(`${name}: ${p.errors} error(s); first: HTTP ${p.firstError.status} ${p.firstError.body.slice(0, 500)}`);
  }
  notes.push(
    `ceiling measured before and after the server run: ${r.ceilingRuns.beforeRps.toFixed(0)} and ${r.ceilingRuns.afterRps.toFixed(0)} req/s; the higher is used`,
  );
  const noisy = [r.ceiling, r.signUp, r.confirmSignUp, ...signInPhases(r).map(([, p]) => p)].some((p) => (p.otherCpuPercent ?? 0) > NOISE_PERCENT);
  if (noisy) {
    notes.push(
      `note: other processes used more than ${NOISE_PERCENT}% of a core during a phase` +
        (s.backend === 'postgres' ? ' (PostgreSQL itself counts there)' : '; the machine was not quiet and the figures are low'),
    );
  }
  const lite = r.confirmSignUp.sqlite;
  if (lite) {
    notes.push(`ConfirmSignUp on SQLite: ${lite.commits} group commits of ${lite.writesPerCommit.toFixed(1)} writes on average, each fsync of the WAL ${lite.meanFsyncMs.toFixed(2)} ms on average`);
  }
  const pg = r.confirmSignUp.postgres;
  if (pg) {
    notes.push(
      `ConfirmSignUp on PostgreSQL: ${pg.roundTripsPerRequest.toFixed(2)} round trips and ${pg.queriesPerRequest.toFixed(2)} queries per request; ` +
        `PostgreSQL used ${pg.postgresCpuPercent.toFixed(0)}% of a core, ${pg.requestsPerPostgresCore.toFixed(0)} confirmations per PostgreSQL core, ` +
        `${(r.confirmSignUp.rps / s.instances).toFixed(0)} per instance`,
    );
  }
  if (r.missingCodes > 0) notes.push(`${r.missingCodes} user(s) had no code in the outbox and were not confirmed`);
  notes.push(`sample user after the run: ${r.sampleUserStatus}`);
  notes.push(
    `target: ConfirmSignUp at ${percent(TARGET_RATIO)} of the ceiling or more: ${r.target.met ? 'met' : 'NOT met'} (${percent(r.confirmSignUp.ratioToCeiling)})`,
  );
  return [header, '', ...lines, '', ...notes, ...(r.signIn ? ['', ...renderSignIn(r.signIn)] : [])].join('\n');
}

function signInPhases(r: BenchResults): [string, PhaseResult][] {
  if (!r.signIn) return [];
  return [['USER_PASSWORD_AUTH', r.signIn.userPasswordAuth], ['USER_SRP_AUTH (2 steps)', r.signIn.srp], ['GetTokensFromRefreshToken', r.signIn.refresh]];
}

const RAW_COLUMNS = ['sign-in phase', 'op/s', 'raw primitive', 'raw/s', 'raw other CPU', 'per op', 'bound op/s', 'ratio', 'goal'];

/** Each sign-in phase against its raw rate, and the raw measurements' own noise. */
function renderSignIn(s: SignInResults): string[] {
  const raw = s.raw;
  const row = (name: string, rps: number | undefined, what: string, rate: RawRate, q: Ratio, judged: boolean) => [
    name,
    rps === undefined ? '' : rps.toFixed(1),
    what,
    rate.perSecond.toFixed(1),
    rate.otherCpuPercent === undefined ? '-' : `${rate.otherCpuPercent.toFixed(0)}%`,
    String(q.perOperation),
    q.boundPerSecond.toFixed(1),
    percent(q.ratio),
    judged ? `≥ ${percent(q.goal)} ${q.met ? 'met' : 'NOT met'}` : '(context)',
  ];
  const rows = [
    RAW_COLUMNS,
    row('USER_PASSWORD_AUTH', s.userPasswordAuth.rps, `argon2id verify, ${raw.argon2.concurrency} in flight`, raw.argon2, s.userPasswordAuth, true),
    row('USER_SRP_AUTH', s.srp.rps, '3072-bit modexp, 1024-bit exponent, one thread', raw.modexp, s.srp, true),
    row('GetTokensFromRefreshToken', s.refresh.rps, 'RS256 sign, RSA-2048, one thread', raw.rs256, s.refresh, true),
    row('', undefined, `RS256 sign, thread pool, ${raw.rs256Pool.concurrency} in flight`, raw.rs256Pool, s.refresh.threadPool, false),
  ];
  const widths = RAW_COLUMNS.map((_, i) => Math.max(...rows.map((cells) => cells[i]!.length)));
  const left = new Set([0, 2, 8]);
  const lines = rows.map((cells) => cells.map((cell, i) => (left.has(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const steps = s.srp.stepP50Ms.map((ms) => ms.toFixed(2)).join(' / ');
  const notes = [
    `ratio = phase op/s ÷ (raw/s ÷ per op); raw rates measured in their own process just before each phase, the server idle`,
    `USER_SRP_AUTH: a sign-in is 2 requests; p50 of InitiateAuth / client claim / RespondToAuthChallenge: ${steps} ms; ${s.srpWorkers} client worker thread(s)`,
    `GetTokensFromRefreshToken went round ${s.refreshTokens} refresh tokens from the USER_PASSWORD_AUTH phase`,
  ];
  const noisyRaw = Object.values(raw).filter((rate) => (rate.otherCpuPercent ?? 0) > NOISE_PERCENT);
  if (noisyRaw.length > 0) notes.push(`note: other processes used more than ${NOISE_PERCENT}% of a core while measuring ${noisyRaw.map((rate) => rate.kind).join(', ')}: those raw rates are low`);
  return [...lines, '', ...notes];
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
