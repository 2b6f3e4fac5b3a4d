/**
 * @module `npm run bench:compare`: a run's figures against a baseline run's, figure by figure,
 * with a tolerance for the noise between two runs of the same tree. Exits 1 when a figure got
 * worse by more than the tolerance, or when the two runs did not measure the same thing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResults, PhaseResult } from './report.ts';

const USAGE = `usage: npm run bench:compare -- [--baseline FILE] [--tolerance T] [RUN]
  RUN            the run to judge (default bench/results/latest.json)
  --baseline F   what it is judged against (default bench/results/baseline-sqlite.json)
  --tolerance T  how much worse a figure may be before it counts, as a fraction (default 0.15)`;

/** Which way is better for each figure, and how to read it from a phase. */
interface Figure {
  name: string;
  better: 'higher' | 'lower';
  read: (r: BenchResults) => number | undefined;
}

export interface Verdict {
  name: string;
  baseline: number;
  run: number;
  /** Positive when the run is better, as a fraction of the baseline. */
  change: number;
  regressed: boolean;
}

/** Results written before `serverCpuUsPerRequest` existed carry the same figure as a percentage of the phase. */
export function cpuPerRequestUs(p: PhaseResult | undefined): number | undefined {
  if (!p || p.requests === 0) return undefined;
  if (p.serverCpuUsPerRequest !== undefined) return p.serverCpuUsPerRequest;
  if (p.serverCpuPercent === undefined) return undefined;
  return ((p.serverCpuPercent / 100) * p.seconds * 1e6) / p.requests;
}

const phases: [string, (r: BenchResults) => PhaseResult | undefined][] = [
  ['SignUp', (r) => r.signUp],
  ['ConfirmSignUp', (r) => r.confirmSignUp],
  ['USER_PASSWORD_AUTH', (r) => r.signIn?.userPasswordAuth],
  ['USER_SRP_AUTH', (r) => r.signIn?.srp],
  ['GetTokensFromRefreshToken', (r) => r.signIn?.refresh],
];

export const FIGURES: Figure[] = [
  ...phases.flatMap(([phase, of]): Figure[] => [
    { name: `${phase} req/s`, better: 'higher', read: (r) => of(r)?.rps },
    { name: `${phase} p50 ms`, better: 'lower', read: (r) => of(r)?.p50Ms },
    { name: `${phase} p99 ms`, better: 'lower', read: (r) => of(r)?.p99Ms },
    { name: `${phase} server CPU µs per request`, better: 'lower', read: (r) => cpuPerRequestUs(of(r)) },
  ]),
  { name: 'ConfirmSignUp vs ceiling', better: 'higher', read: (r) => r.confirmSignUp.ratioToCeiling },
  { name: 'USER_PASSWORD_AUTH vs argon2id', better: 'higher', read: (r) => r.signIn?.userPasswordAuth.ratio },
  { name: 'USER_SRP_AUTH vs modexp', better: 'higher', read: (r) => r.signIn?.srp.ratio },
  { name: 'GetTokensFromRefreshToken vs RS256', better: 'higher', read: (r) => r.signIn?.refresh.ratio },
];

/** Figures present in both runs; the others are left out rather than guessed. */
export function compare(baseline: BenchResults, run: BenchResults, tolerance: number): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const figure of FIGURES) {
    const was = figure.read(baseline);
    const now = figure.read(run);
    if (was === undefined || now === undefined || was === 0) continue;
    const change = figure.better === 'higher' ? (now - was) / was : (was - now) / was;
    verdicts.push({ name: figure.name, baseline: was, run: now, change, regressed: change < -tolerance });
  }
  return verdicts;
}

/** Two runs are comparable only with the same backend, concurrency and durability. */
export function mismatch(baseline: BenchResults, run: BenchResults): string | undefined {
  const a = baseline.setup;
  const b = run.setup;
  for (const key of ['backend', 'sqliteSynchronous', 'instances', 'concurrency'] as const) {
    if (a[key] !== b[key]) return `the runs differ in ${key}: ${String(a[key])} and ${String(b[key])}`;
  }
  return undefined;
}

function render(verdicts: Verdict[], tolerance: number): string {
  const rows = [['figure', 'baseline', 'run', 'change', ''], ...verdicts.map((v) => [
    v.name,
    v.baseline.toFixed(v.baseline < 10 ? 3 : 1),
    v.run.toFixed(v.run < 10 ? 3 : 1),
    `${v.change >= 0 ? '+' : ''}${(v.change * 100).toFixed(1)}%`,
    v.regressed ? `WORSE by more than ${(tolerance * 100).toFixed(0)}%` : '',
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { baseline: { type: 'string' }, tolerance: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const tolerance = Number(values.tolerance ?? 0.15);
  if (!(tolerance >= 0 && tolerance < 1)) {
    console.error(`bench:compare: --tolerance must be a fraction from 0 to 1\n\n${USAGE}`);
    return 2;
  }
  const root = join(import.meta.dirname, '..');
  const baselinePath = values.baseline ?? join(root, 'bench', 'results', 'baseline-sqlite.json');
  const runPath = positionals[0] ?? join(root, 'bench', 'results', 'latest.json');
  const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as BenchResults;
  const run = JSON.parse(readFileSync(runPath, 'utf8')) as BenchResults;
  const different = mismatch(baseline, run);
  if (different) {
    console.error(`bench:compare: ${different}; compare runs made with the same options`);
    return 1;
  }
  const verdicts = compare(baseline, run, tolerance);
  console.log(`${runPath}\n  against ${baselinePath}\n  (${baseline.machine.cpuModel} then ${run.machine.cpuModel})\n`);
  console.log(render(verdicts, tolerance));
  const worse = verdicts.filter((v) => v.regressed);
  console.log(worse.length === 0 ? '\nno figure is worse beyond the tolerance' : `\n${worse.length} figure(s) worse beyond the tolerance`);
  return worse.length === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) process.exitCode = main();
