/**
 * @module Long API fuzz runs with the suite's arbitraries against a fresh local server:
 * `node --import tsx scripts/fuzz.ts --runs 200000 --seed 7 [--only N] [--concurrency 8] [--log-level debug]`;
 * the database is a fresh SQLite file, or a fresh schema of USERPOOL_TEST_DB (a postgres:// URL).
 * Exits 1 when any answer breaks the property, 0 otherwise.
 */
import { parseArgs } from 'node:util';
import { logsSettled, outcomes, rssOf, report, runApiFuzz } from '../test/fuzz/harness.ts';
import { startTestServer } from '../test/helpers/server.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.FUZZ_RUNS ?? '200000' },
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? String(Date.now() % 2 ** 31) },
    only: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    'log-level': { type: 'string', default: 'info' },
  },
});

const seed = Number(values.seed);
const runs = Number(values.runs);
const server = await startTestServer({ env: { USERPOOL_LOG_LEVEL: values['log-level'] } });
const mib = (n: number | undefined) => (n === undefined ? '?' : `${(n / 2 ** 20).toFixed(0)} MiB`);
const rssBefore = rssOf(server.process.pid);
let peak = rssBefore ?? 0;
let printed = 0;
console.log(`fuzzing ${server.url} with seed ${seed}, ${values.only === undefined ? `${runs} requests` : `request #${values.only} only`}; server log in memory`);
let code = 0;
try {
  const result = await runApiFuzz({
    url: server.url,
    sdk: server.client(),
    seed,
    runs,
    only: values.only === undefined ? undefined : Number(values.only),
    concurrency: Number(values.concurrency),
    alive: () => server.process.exitCode === null && server.process.signalCode === null,
    progress: (sent, findings) => {
      peak = Math.max(peak, rssOf(server.process.pid) ?? 0);
      if (sent - printed < 5000) return;
      printed = sent;
      console.log(`  ${sent} sent, ${findings} findings, server RSS ${mib(rssOf(server.process.pid))}`);
    },
  });
  const health = await fetch(`${server.url}/health`).then((r) => r.status, (e: Error) => e.message);
  await logsSettled(server.output, result.findings);
  console.log(`outcomes per operation:\n${outcomes(result)}`);
  console.log(report(result, seed, server.output(), (index) => `node --import tsx scripts/fuzz.ts --seed ${seed} --only ${index}`));
  console.log(`server RSS ${mib(rssBefore)} → ${mib(rssOf(server.process.pid))} (peak ${mib(peak)}); /health answered ${health}`);
  if (result.findings.length > 0 || result.aborted || health !== 200) code = 1;
} finally {
  await server.stop();
}
// Not process.exit: a PostgreSQL test schema is dropped when the event loop runs dry.
process.exitCode = code;
