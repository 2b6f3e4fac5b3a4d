/** @module Server-side SRP speed on one core: raw 3072-bit modexps/s (native DH vs BigInt), full sign-ins/s, and how the two relate; run `node --import tsx bench/srp-rate.ts [--rounds 12] [--per-round 100]`. */
import crypto, { randomBytes } from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  N,
  computeX,
  createVerifier,
  formatTimestamp,
  g,
  k,
  modPowBigInt,
  modPowNative,
  padHex,
  passwordClaimSignature,
  startChallenge,
  unknownUserChallenge,
  verifyPassword,
} from '../src/domain/srp.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '12' }, 'per-round': { type: 'string', default: '100' } } });
const ROUNDS = Number(values.rounds);
const PER_ROUND = Number(values['per-round']);

const big = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);
const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
const best = (xs: number[]) => Math.min(...xs);

/** Milliseconds per call of `fn` over `calls` calls. */
function msPerCall(fn: () => unknown, calls: number): number {
  const started = performance.now();
  for (let i = 0; i < calls; i++) fn();
  return (performance.now() - started) / calls;
}

/** How many modexps a piece of srp.ts performs, counted by wrapping node:crypto's DH constructor. */
function countModexps(fn: () => unknown): number {
  const original = crypto.createDiffieHellman;
  let count = 0;
  (crypto as { createDiffieHellman: unknown }).createDiffieHellman = (...args: Parameters<typeof original>) => {
    count++;
    return original(...args);
  };
  // Carries the patch, and then the restore, into the named import inside srp.ts.
  syncBuiltinESMExports();
  try {
    fn();
  } finally {
    (crypto as { createDiffieHellman: unknown }).createDiffieHellman = original;
    syncBuiltinESMExports();
  }
  return count;
}

// One user; every sign-in gets its own challenge, its own client secret a and its own secret block.
const pool = 'Bench01';
const user = 'b6a7c1d2-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const password = 'Bench-Passw0rd!';
const { salt, verifier } = createVerifier(pool, user, password);
const x = computeX(pool, user, password, salt);
const clientTerm = k * modPowNative(g, x);

/** The client's side of one sign-in against a challenge (spec §6.2). */
function clientAttempt({ b, B }: { b: string; B: string }, timestamp: string) {
  const a = big(128);
  const A = modPowNative(g, a);
  const Bint = BigInt(`0x${B}`);
  const u = BigInt(`0x${crypto.createHash('sha256').update(Buffer.from(padHex(A) + padHex(Bint), 'hex')).digest('hex')}`);
  const S = modPowNative(Bint - clientTerm, a + u * x);
  const prk = crypto.createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  const K = crypto.createHmac('sha256', prk).update('Caldera Derived Key\u0001').digest().subarray(0, 16);
  const secretBlock = randomBytes(64).toString('base64');
  const signature = passwordClaimSignature({ poolName: pool, userIdForSrp: user, K, secretBlock, timestamp });
  return { poolName: pool, userIdForSrp: user, salt, verifier, b, B, A: A.toString(16), secretBlock, timestamp, signature };
}

/** One round of sign-ins: the server's two steps timed, the client's work between them not. */
function signInRound(count: number): { startMs: number; verifyMs: number } {
  let t0 = performance.now();
  const challenges = Array.from({ length: count }, () => startChallenge({ verifier }));
  const startMs = (performance.now() - t0) / count;
  const timestamp = formatTimestamp(Date.now());
  const attempts = challenges.map((c) => clientAttempt(c, timestamp));
  t0 = performance.now();
  let accepted = 0;
  for (const attempt of attempts) if (verifyPassword(attempt)) accepted++;
  const verifyMs = (performance.now() - t0) / count;
  if (accepted !== count) throw new Error(`only ${accepted} of ${count} correct sign-ins verified`);
  return { startMs, verifyMs };
}

const base = big(384) % N;
const bExp = big(128);
const uExp = big(32);
const fullExp = big(384);
for (const e of [bExp, uExp, fullExp]) if (modPowNative(base, e) !== modPowBigInt(base, e)) throw new Error('native and BigInt disagree');

console.log(`machine: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}, node ${process.version}, OpenSSL ${process.versions.openssl}; one core`);
console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (the machine is shared, so rounds are interleaved and the best round is reported)\n`);

signInRound(10);
// (a) and (b) alternate round by round, so both see the same interference from other processes.
const nativeB: number[] = [];
const nativeU: number[] = [];
const start: number[] = [];
const verify: number[] = [];
const signIn: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  nativeB.push(msPerCall(() => modPowNative(base, bExp), PER_ROUND));
  nativeU.push(msPerCall(() => modPowNative(base, uExp), PER_ROUND * 3));
  const r = signInRound(PER_ROUND);
  start.push(r.startMs);
  verify.push(r.verifyMs);
  signIn.push(r.startMs + r.verifyMs);
}
const nativeFull = Array.from({ length: 5 }, () => msPerCall(() => modPowNative(base, fullExp), 30));
const bigB = Array.from({ length: 5 }, () => msPerCall(() => modPowBigInt(base, bExp), 10));
const bigU = Array.from({ length: 5 }, () => msPerCall(() => modPowBigInt(base, uExp), 30));
const bigFull = Array.from({ length: 3 }, () => msPerCall(() => modPowBigInt(base, fullExp), 4));

const row = (name: string, nat: number[], bi: number[]) =>
  console.log(
    `  exponent ${name.padEnd(16)} native ${(1000 / best(nat)).toFixed(0).padStart(5)}/s (${best(nat).toFixed(3)} ms, median ${median(nat).toFixed(3)})   ` +
      `BigInt ${(1000 / best(bi)).toFixed(1).padStart(5)}/s (${best(bi).toFixed(2)} ms)   native ${(best(bi) / best(nat)).toFixed(1)}× faster`,
  );
console.log('(a) 3072-bit modular exponentiation, base < N');
row('b (1024-bit)', nativeB, bigB);
row('u (256-bit)', nativeU, bigU);
row('full (3072-bit)', nativeFull, bigFull);

console.log(`\n(b) full server-side sign-ins, ${ROUNDS} rounds of ${PER_ROUND}, all verified; client work outside the clock`);
console.log(`  startChallenge  ${(best(start) * 1000).toFixed(0).padStart(5)} µs (median ${(median(start) * 1000).toFixed(0)})`);
console.log(`  verifyPassword  ${(best(verify) * 1000).toFixed(0).padStart(5)} µs (median ${(median(verify) * 1000).toFixed(0)})`);
const signInsPerSecond = 1000 / best(signIn);
console.log(`  sign-ins        ${signInsPerSecond.toFixed(0).padStart(5)}/s on one core (median round ${(1000 / median(signIn)).toFixed(0)}/s)`);

const perStart = countModexps(() => startChallenge({ verifier }));
const counted = clientAttempt(startChallenge({ verifier }), formatTimestamp(Date.now()));
const perVerify = countModexps(() => {
  if (!verifyPassword(counted)) throw new Error('the counted sign-in failed');
});
const perCreate = countModexps(() => createVerifier(pool, user, password));
const perUnknown = countModexps(() => unknownUserChallenge({ key: randomBytes(32), poolId: 'us-east-1_Bench01', username: 'nobody' }));
const perSignIn = perStart + perVerify;

const modexpPerSecond = 1000 / best(nativeB);
const predicted = 1000 / (2 * best(nativeB) + best(nativeU));
const ratio = signInsPerSecond / modexpPerSecond;
console.log(`\nmodexps per server-side sign-in: ${perSignIn} (startChallenge ${perStart}: g^b; verifyPassword ${perVerify}: v^u, (A·v^u)^b)`);
console.log(`  createVerifier ${perCreate} (g^x); unknown-user stand-in ${perUnknown} at step 1 (+ ${perVerify} if step 2 runs verifyPassword on its stand-in verifier)`);
console.log(`(b)/(a) = ${ratio.toFixed(3)} sign-ins per b-size modexp; × ${perSignIn} = ${(ratio * perSignIn).toFixed(3)}`);
console.log(`  1.0 would mean a sign-in costs ${perSignIn} b-size modexps; with v^u's 256-bit exponent the modexps alone allow ${((predicted / modexpPerSecond) * perSignIn).toFixed(3)}`);
console.log(`  predicted from (a) as 2 b-size + 1 u-size modexps: ${predicted.toFixed(0)}/s; measured / predicted = ${(signInsPerSecond / predicted).toFixed(3)}`);
console.log(`  with BigInt instead (predicted the same way): ${(1000 / (2 * best(bigB) + best(bigU))).toFixed(1)} sign-ins/s`);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
