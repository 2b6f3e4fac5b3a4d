/**
 * @module `npm run bench:startup`: time from spawning `userpool serve` to its first answered
 * request, for the built CLI (what `npx userpool` and the container run) and, for comparison, the
 * sources through tsx and a bare `node:http` server. Prints a table and writes
 * bench/results/startup.json; exits non-zero only with `--max-median-ms` and a slower median.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './processes.ts';

const LISTENING = /"url":"([^"]+)"[^\n]*"msg":"(?:userpool|floor) listening"/u;

/** The least any Node server can do: start, listen, answer. */
const FLOOR_SERVER = `require('node:http').createServer((_q, s) => s.end('{}')).listen(0, '127.0.0.1', function () {
  console.log(JSON.stringify({ url: 'http://127.0.0.1:' + this.address().port, msg: 'floor listening' }));
});`;

interface Mode {
  name: string;
  command: string;
  args: (db: string) => string[];
}

const MODES: Record<string, Mode> = {
  built: { name: 'built CLI (node bin/userpool.js)', command: 'bin/userpool.js', args: (db) => ['bin/userpool.js', 'serve', '--port', '0', '--db', db, '--log-level', 'info'] },
  source: { name: 'sources (node --import tsx src/cli/main.ts)', command: 'src/cli/main.ts', args: (db) => ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--db', db, '--log-level', 'info'] },
  floor: { name: 'bare node:http server', command: '-e', args: () => ['-e', FLOOR_SERVER] },
};

interface Sample {
  listeningMs: number;
  answeredMs: number;
}

/** One start on a fresh database, so every run also creates the schema, as a first start does. */
async function measure(mode: Mode, dir: string, run: number): Promise<Sample> {
  const db = join(dir, `run-${run}.db`);
  const started = performance.now();
  const child = spawn(process.execPath, mode.args(db), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, USERPOOL_LOG_FORMAT: 'json' } });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    const { url, listeningMs } = await new Promise<{ url: string; listeningMs: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${mode.name} did not start within 30 s:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = LISTENING.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve({ url: match[1]!, listeningMs: performance.now() - started });
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`${mode.name} exited with ${code}:\n${output}`)));
    });
    const res = await fetch(`${url}/health`);
    await res.text();
    const answeredMs = performance.now() - started;
    if (res.status !== 200) throw new Error(`${mode.name}: /health answered ${res.status}`);
    return { listeningMs, answeredMs };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.ceil(at)]! - sorted[low]!) * (at - low);
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: sorted.at(-1)! };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '21' },
      modes: { type: 'string', default: 'built,source,floor' },
      'max-median-ms': { type: 'string' },
      out: { type: 'string', default: join(repoRoot, 'bench/results/startup.json') },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number of at least 1');
  const modes = values.modes.split(',').map((name) => {
    const mode = MODES[name.trim()];
    if (!mode) throw new Error(`unknown mode "${name}"; choose from ${Object.keys(MODES).join(', ')}`);
    return [name.trim(), mode] as const;
  });

  if (modes.some(([name]) => name === 'built')) {
    const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('the build failed');
  }

  const dir = mkdtempSync(join(tmpdir(), 'userpool-startup-'));
  const samples = new Map<string, Sample[]>(modes.map(([name]) => [name, []]));
  try {
    // One unmeasured start each, so the first measured one does not also pay for a cold file cache.
    for (const [, mode] of modes) await measure(mode, dir, -1);
    // Interleaved, so a burst of noise on the machine spreads over every mode instead of one.
    for (let run = 0; run < runs; run++) {
      for (const [name, mode] of modes) samples.get(name)!.push(await measure(mode, dir, run));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const rows = modes.map(([name, mode]) => {
    const list = samples.get(name)!;
    return { mode: name, description: mode.name, listening: summary(list.map((s) => s.listeningMs)), answered: summary(list.map((s) => s.answeredMs)) };
  });
  const ms = (n: number) => n.toFixed(0).padStart(6);
  console.log(`\nspawn → first answered GET /health, ${runs} runs each, fresh SQLite database per run (ms)\n`);
  console.log(`${'mode'.padEnd(46)}${'min'.padStart(6)}${'median'.padStart(8)}${'p90'.padStart(6)}${'max'.padStart(6)}   listening (median)`);
  for (const row of rows) {
    const a = row.answered;
    console.log(`${row.description.padEnd(46)}${ms(a.min)}  ${ms(a.median)}${ms(a.p90)}${ms(a.max)}   ${ms(row.listening.median)}`);
  }

  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, platform: process.platform };
  mkdirSync(join(values.out, '..'), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify({ time: new Date().toISOString(), machine, runs, rows, samples: Object.fromEntries(samples) }, null, 2)}\n`);
  console.log(`\nwritten to ${values.out}`);

  const limit = values['max-median-ms'] === undefined ? undefined : Number(values['max-median-ms']);
  const built = rows.find((r) => r.mode === 'built');
  if (limit !== undefined && built && built.answered.median > limit) {
    console.error(`built CLI median ${built.answered.median.toFixed(0)} ms is above --max-median-ms ${limit}`);
    process.exit(1);
  }
}

await main();
