/** @module The sign-in phases (`--sign-in`): USER_PASSWORD_AUTH against argon2id verifications, the two-step SRP sign-in against 3072-bit modexps, GetTokensFromRefreshToken against RS256 signatures, each raw rate measured in its own process just before its phase. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { poolNamePart } from '../src/domain/srp.ts';
import type { RawKind, RawRate } from './crypto-rates.ts';
import { runFlows, type LoadSpec, type Target } from './load.ts';
import { measure, measureLoad, warmUp } from './measure.ts';
import { repoRoot, type Child } from './processes.ts';
import type { PhaseResult, Ratio, SignInResults } from './report.ts';
import { PASSWORD, passwordSignInBody, refreshBody, srpStartBody } from './scenario.ts';
import { SrpClients, srpSignIn } from './srp-client.ts';

export interface SignInOptions {
  signIns: number;
  refreshes: number;
  rawSeconds: number;
  srpWorkers: number;
  concurrency: number;
  maxSeconds: number;
  timeoutMs: number;
}

export const GOALS = { userPasswordAuth: 0.9, srp: 0.8, refresh: 0.8 } as const;
/** Raw operations per phase operation: one verification; g^b, v^u and (A·v^u)^b; two signed JWTs. */
export const PER_OPERATION = { userPasswordAuth: 1, srp: 3, refresh: 2 } as const;
/**
 * Each pair costs a modexp before the phase; the server keeps nothing per A, so going round 512
 * of them is as good as a fresh one per sign-in, and every x, S and K is still derived per sign-in.
 */
const MAX_PAIRS = 512;

/** A raw rate from a fresh process, so it shares neither a thread pool nor a JIT with anything here. */
export function rawRate(kind: RawKind, seconds: number, concurrency: number): Promise<RawRate> {
  const args = ['--import', 'tsx', join(repoRoot, 'bench', 'crypto-rates.ts'), kind, '--seconds', String(seconds), '--concurrency', String(concurrency)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: repoRoot, timeout: (seconds + 120) * 1000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`the raw ${kind} rate could not be measured: ${error.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as RawRate);
      } catch {
        reject(new Error(`the raw ${kind} rate printed no JSON: ${stdout}${stderr}`));
      }
    });
  });
}

export function ratio(rps: number, raw: RawRate, perOperation: number, goal: number): Ratio {
  const bound = raw.perSecond / perOperation;
  return { rawPerSecond: raw.perSecond, perOperation, boundPerSecond: bound, ratio: rps / bound, goal, met: rps / bound >= goal };
}

interface Context {
  options: SignInOptions;
  servers: readonly Child[];
  targets: Target[];
  poolId: string;
  clientId: string;
  /** Confirmed users from the sign-up phases; the sign-ins go round them. */
  names: readonly string[];
}

/** Warm-ups are a tenth of the phase, but at least one request per caller so every connection is open and warm. */
function warmupCount(o: SignInOptions, measured: number): number {
  return Math.max(o.concurrency, Math.round(measured / 10));
}

export async function runSignInPhases(c: Context): Promise<SignInResults> {
  const o = c.options;
  if (c.names.length === 0) throw new Error('no confirmed user to sign in');
  const load = (operation: string, bodies: Buffer[], onReply?: LoadSpec['onReply']): LoadSpec => ({
    operation,
    targets: c.targets,
    bodies,
    concurrency: o.concurrency,
    maxSeconds: o.maxSeconds,
    timeoutMs: o.timeoutMs,
    ...(onReply ? { onReply } : {}),
  });
  const user = (i: number) => c.names[i % c.names.length]!;

  console.log(`raw argon2id verifications (${o.rawSeconds} s, concurrency ${o.concurrency}), then USER_PASSWORD_AUTH × ${o.signIns}...`);
  const argon2 = await rawRate('argon2', o.rawSeconds, o.concurrency);
  const refreshTokens: string[] = [];
  const keepToken = (_: number, reply: { status: number; body: string }) => {
    if (reply.status !== 200) return;
    const token = (JSON.parse(reply.body) as { AuthenticationResult?: { RefreshToken?: string } }).AuthenticationResult?.RefreshToken;
    if (token) refreshTokens.push(token);
  };
  const passwordWarm = warmupCount(o, o.signIns);
  await warmUp(load('InitiateAuth', Array.from({ length: passwordWarm }, (_, i) => passwordSignInBody(c.clientId, user(i))), keepToken), 'USER_PASSWORD_AUTH');
  const passwordBodies = Array.from({ length: o.signIns }, (_, i) => passwordSignInBody(c.clientId, user(passwordWarm + i)));
  const password = await measureLoad(c.servers, load('InitiateAuth', passwordBodies, keepToken), 'userPasswordAuth');

  console.log(`raw 3072-bit modexps (${o.rawSeconds} s, one thread), then USER_SRP_AUTH × ${o.signIns} with ${o.srpWorkers} client worker thread(s)...`);
  const modexp = await rawRate('modexp', o.rawSeconds, 1);
  const srpWarm = warmupCount(o, o.signIns);
  const clients = await SrpClients.start(o.srpWorkers, { poolName: poolNamePart(c.poolId), password: PASSWORD }, Math.min(MAX_PAIRS, srpWarm + o.signIns));
  let srp: PhaseResult & { stepP50Ms: number[]; stepP99Ms: number[] };
  try {
    const starts = (count: number, offset: number) =>
      Array.from({ length: count }, (_, i) => srpStartBody(c.clientId, user(offset + i), clients.srpA[i % clients.srpA.length]!));
    const flowSpec = (count: number, offset: number) => ({
      targets: c.targets,
      count,
      concurrency: o.concurrency,
      maxSeconds: o.maxSeconds,
      flow: srpSignIn(clients, c.clientId, starts(count, offset), o.timeoutMs),
    });
    const warm = await runFlows(flowSpec(srpWarm, 0));
    if (warm.errors > 0) console.warn(`warning: ${warm.errors} error(s) during the USER_SRP_AUTH warm-up; first: HTTP ${warm.firstError?.status} ${warm.firstError?.body}`);
    const measured = flowSpec(o.signIns, srpWarm);
    srp = await measure(c.servers, () => runFlows(measured), 'srpSignIn');
  } finally {
    await clients.close();
  }

  console.log(`raw RS256 signatures (${o.rawSeconds} s on one thread, ${o.rawSeconds} s through the thread pool), then GetTokensFromRefreshToken × ${o.refreshes}...`);
  const rs256 = await rawRate('rs256', o.rawSeconds, 1);
  const rs256Pool = await rawRate('rs256-pool', o.rawSeconds, o.concurrency);
  if (refreshTokens.length === 0) throw new Error('no USER_PASSWORD_AUTH sign-in returned a refresh token');
  const token = (i: number) => refreshTokens[i % refreshTokens.length]!;
  const refreshWarm = warmupCount(o, o.refreshes);
  await warmUp(load('GetTokensFromRefreshToken', Array.from({ length: refreshWarm }, (_, i) => refreshBody(c.clientId, token(i)))), 'GetTokensFromRefreshToken');
  const refreshBodies = Array.from({ length: o.refreshes }, (_, i) => refreshBody(c.clientId, token(refreshWarm + i)));
  const refresh = await measureLoad(c.servers, load('GetTokensFromRefreshToken', refreshBodies), 'refresh');

  return {
    signIns: o.signIns,
    refreshes: o.refreshes,
    srpWorkers: o.srpWorkers,
    rawSeconds: o.rawSeconds,
    refreshTokens: refreshTokens.length,
    raw: { argon2, modexp, rs256, rs256Pool },
    userPasswordAuth: { ...password, ...ratio(password.rps, argon2, PER_OPERATION.userPasswordAuth, GOALS.userPasswordAuth) },
    srp: { ...srp, ...ratio(srp.rps, modexp, PER_OPERATION.srp, GOALS.srp) },
    refresh: {
      ...refresh,
      ...ratio(refresh.rps, rs256, PER_OPERATION.refresh, GOALS.refresh),
      threadPool: ratio(refresh.rps, rs256Pool, PER_OPERATION.refresh, GOALS.refresh),
    },
  };
}
