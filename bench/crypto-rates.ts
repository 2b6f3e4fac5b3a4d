/** @module The raw rates the sign-in phases are judged against, each in a process of its own while the server sits idle: argon2id verifications at the bench's concurrency, 3072-bit modexps and RS256 signatures on one thread, RS256 through the thread pool; prints one JSON line. Run: `node --import tsx bench/crypto-rates.ts argon2|modexp|rs256|rs256-pool [--seconds 5] [--concurrency 32]`. */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { argon2idHasher } from '../src/domain/passwords.ts';
import { N, SECRET_EXPONENT_BYTES, modPowNative } from '../src/domain/srp.ts';
import { machineBusySeconds } from './processes.ts';
import { PASSWORD } from './scenario.ts';

export const RAW_KINDS = ['argon2', 'modexp', 'rs256', 'rs256-pool'] as const;
export type RawKind = (typeof RAW_KINDS)[number];

export interface RawRate {
  kind: RawKind;
  /** Operations completed per second of wall-clock time in the measured window. */
  perSecond: number;
  operations: number;
  seconds: number;
  /** Operations in flight at once: 1 for the synchronous kinds, which run on the main thread only. */
  concurrency: number;
  /** CPU of the measuring process in % of one core, and of everything else on the machine meanwhile. */
  cpuPercent: number;
  otherCpuPercent?: number;
  uvThreadpoolSize: number;
  /** Rates of related operations, for explaining a phase rather than for its ratio. */
  extra?: Record<string, number>;
}

/** The size of a real access token's signing input (header and claims, about 1 kB). */
const SIGNING_INPUT = Buffer.from(randomBytes(800).toString('base64url'));
const WARMUP_SECONDS = 1;

const big = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);

interface Window {
  operations: number;
  seconds: number;
  cpuSeconds: number;
  machineSeconds?: number;
}

/** A plain loop: no promise overhead is charged to a synchronous primitive. */
function syncWindow(op: (i: number) => unknown, seconds: number): Window {
  const start = snapshot();
  const end = performance.now() + seconds * 1000;
  let operations = 0;
  while (performance.now() < end) op(operations++);
  return finish(start, operations);
}

/** `lanes` callers, each awaiting its own operation before starting the next. */
async function asyncWindow(op: () => Promise<unknown>, seconds: number, lanes: number): Promise<Window> {
  const start = snapshot();
  const end = performance.now() + seconds * 1000;
  let operations = 0;
  const lane = async () => {
    while (performance.now() < end) {
      await op();
      operations++;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return finish(start, operations);
}

function snapshot() {
  return { wall: performance.now(), cpu: process.cpuUsage(), machine: machineBusySeconds() };
}

function finish(start: ReturnType<typeof snapshot>, operations: number): Window {
  const cpu = process.cpuUsage(start.cpu);
  const machine = machineBusySeconds();
  return {
    operations,
    seconds: (performance.now() - start.wall) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...(machine !== undefined && start.machine !== undefined ? { machineSeconds: machine - start.machine } : {}),
  };
}

function report(kind: RawKind, w: Window, concurrency: number, extra?: Record<string, number>): RawRate {
  const percent = (s: number) => (s / w.seconds) * 100;
  return {
    kind,
    perSecond: w.operations / w.seconds,
    operations: w.operations,
    seconds: w.seconds,
    concurrency,
    cpuPercent: percent(w.cpuSeconds),
    ...(w.machineSeconds !== undefined ? { otherCpuPercent: Math.max(0, percent(w.machineSeconds - w.cpuSeconds)) } : {}),
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    ...(extra ? { extra } : {}),
  };
}

async function argon2(seconds: number, concurrency: number): Promise<RawRate> {
  // A hash made with the hasher SignUp uses, of the password every bench user has.
  const stored = await argon2idHasher.hash(PASSWORD);
  const op = async () => {
    if (!(await argon2idHasher.verify(stored, PASSWORD))) throw new Error('argon2id refused the right password');
  };
  await asyncWindow(op, WARMUP_SECONDS, concurrency);
  return report('argon2', await asyncWindow(op, seconds, concurrency), concurrency);
}

function modexp(seconds: number): RawRate {
  // Exponents the size of the server's secret b, bases spread over the group, as g^b and (A·v^u)^b are.
  const inputs = Array.from({ length: 64 }, () => ({ base: big(384) % N, exponent: big(SECRET_EXPONENT_BYTES) }));
  const op = (i: number) => modPowNative(inputs[i % 64]!.base, inputs[i % 64]!.exponent);
  syncWindow(op, WARMUP_SECONDS);
  const main = syncWindow(op, seconds);
  // v^u has a 256-bit exponent, a quarter of the cost; measured briefly so a phase's bound can be explained.
  const short = inputs.map(({ base }) => ({ base, exponent: big(32) }));
  const u = syncWindow((i) => modPowNative(short[i % 64]!.base, short[i % 64]!.exponent), Math.min(2, seconds));
  return report('modexp', main, 1, { modexpU256PerSecond: u.operations / u.seconds });
}

function rsaKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 }).privateKey;
}

function rs256(seconds: number): RawRate {
  const key = rsaKey();
  const op = () => sign('sha256', SIGNING_INPUT, key);
  syncWindow(op, WARMUP_SECONDS);
  return report('rs256', syncWindow(op, seconds), 1);
}

/** The callback form runs on libuv's pool, as the server's WebCrypto signatures do, so it can use every core. */
async function rs256Pool(seconds: number, concurrency: number): Promise<RawRate> {
  const key = rsaKey();
  const op = () =>
    new Promise<void>((resolve, reject) => sign('sha256', SIGNING_INPUT, key, (error) => (error ? reject(error) : resolve())));
  await asyncWindow(op, WARMUP_SECONDS, concurrency);
  return report('rs256-pool', await asyncWindow(op, seconds, concurrency), concurrency);
}

export async function measureRawRate(kind: RawKind, seconds: number, concurrency: number): Promise<RawRate> {
  switch (kind) {
    case 'argon2':
      return argon2(seconds, concurrency);
    case 'modexp':
      return modexp(seconds);
    case 'rs256':
      return rs256(seconds);
    case 'rs256-pool':
      return rs256Pool(seconds, concurrency);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '32' } },
  });
  const kind = positionals[0] as RawKind;
  if (!RAW_KINDS.includes(kind)) {
    console.error(`usage: crypto-rates.ts ${RAW_KINDS.join('|')} [--seconds S] [--concurrency C]   (${availableParallelism()} cores here)`);
    process.exit(2);
  }
  console.log(JSON.stringify(await measureRawRate(kind, Number(values.seconds), Number(values.concurrency))));
}
