/**
 * @module The scale bench's measured phases over HTTP, against a pool already holding the seeded
 * users: SignUp of new users (username and email checked against every seeded one), their
 * ConfirmSignUp, ListUsers pages (unfiltered, a filter most users match, an exact username) from
 * several pages deep, and USER_PASSWORD_AUTH of seeded users.
 */
import { backendCpu, backendCpuBetween } from './backend-cpu.ts';
import type { LoadSpec, Reply, Target } from './load.ts';
import { measureLoad, warmUp } from './measure.ts';
import type { Child } from './processes.ts';
import type { PhaseResult } from './report.ts';
import { call, confirmBody, passwordSignInBody, PASSWORD, readCodes, SIGN_IN_FLOWS } from './scenario.ts';
import { SEED_PREFIX, seedEmail } from './scale-seed.ts';

export interface PhaseCounts {
  /** Requests per cheap phase (ConfirmSignUp, the ListUsers pages). */
  requests: number;
  /** Requests per phase that hashes or verifies a password (SignUp, sign-in): argon2id dominates them. */
  hashed: number;
  /** Requests for the exact-username filter, sent one at a time: it reads every user of the pool, since no index serves it. */
  scans: number;
  warmup: number;
  concurrency: number;
  maxSeconds: number;
  /** Also read the PostgreSQL backends' CPU. */
  postgres: boolean;
}

/** On PostgreSQL, what the database's backends for this server spent per request, which server CPU leaves out. */
export type ScalePhase = PhaseResult & { databaseCpuUsPerRequest?: number };
export type ScalePhases = Record<'signUp' | 'confirmSignUp' | 'listUsers' | 'listUsersPrefixFilter' | 'listUsersUsernameFilter' | 'signIn', ScalePhase>;

const TIMEOUT_MS = 60_000;
const PAGE = 60;
/** Tokens are taken from pages 5 to 10 of a listing, so no measured page starts at the beginning. */
const DEEP_PAGES = [5, 6, 7, 8, 9, 10];

/** An email-as-username pool: SignUp then checks the username key and the email alias of every new user. */
export async function createScalePool(target: Target): Promise<{ poolId: string; clientId: string }> {
  const pool = (await call(target, 'CreateUserPool', { PoolName: 'scale', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] })).UserPool as { Id: string };
  const client = (await call(target, 'CreateUserPoolClient', { UserPoolId: pool.Id, ClientName: 'scale', ExplicitAuthFlows: SIGN_IN_FLOWS })).UserPoolClient as { ClientId: string };
  return { poolId: pool.Id, clientId: client.ClientId };
}

const signUpBody = (clientId: string, email: string) => Buffer.from(JSON.stringify({ ClientId: clientId, Username: email, Password: PASSWORD }));
const listBody = (poolId: string, token: string | undefined, filter?: string) =>
  Buffer.from(JSON.stringify({ UserPoolId: poolId, Limit: PAGE, ...(filter ? { Filter: filter } : {}), ...(token ? { PaginationToken: token } : {}) }));

/** The PaginationTokens of the pages in DEEP_PAGES, walked from the first page (fewer when the listing is shorter). */
async function deepTokens(target: Target, poolId: string, filter?: string): Promise<(string | undefined)[]> {
  const tokens: string[] = [];
  let token: string | undefined;
  for (let page = 1; page <= Math.max(...DEEP_PAGES); page++) {
    const reply = await call(target, 'ListUsers', { UserPoolId: poolId, Limit: PAGE, ...(filter ? { Filter: filter } : {}), ...(token ? { PaginationToken: token } : {}) });
    token = reply.PaginationToken as string | undefined;
    if (!token) break;
    if (DEEP_PAGES.includes(page + 1)) tokens.push(token);
  }
  return tokens.length > 0 ? tokens : [undefined];
}

export async function runScalePhases(servers: readonly Child[], targets: readonly Target[], ids: { poolId: string; clientId: string }, seeded: { users: number; sampleUsernames: string[] }, counts: PhaseCounts): Promise<ScalePhases> {
  const { poolId, clientId } = ids;
  const target = targets[0]!;
  const load = (operation: string, bodies: Buffer[], onReply?: (index: number, reply: Reply) => void): LoadSpec => ({
    operation, targets, bodies, concurrency: counts.concurrency, maxSeconds: counts.maxSeconds, timeoutMs: TIMEOUT_MS, onReply,
  });
  const withDatabase = async (spec: LoadSpec, phase: string): Promise<ScalePhase> => {
    const before = counts.postgres ? backendCpu(servers[0]!.pid) : undefined;
    const result = await measureLoad(servers, spec, phase);
    const after = before && backendCpu(servers[0]!.pid);
    if (!before || !after || result.requests === 0) return result;
    return { ...result, databaseCpuUsPerRequest: (backendCpuBetween(before, after) / result.requests) * 1e6 };
  };
  const measured = (operation: string, phase: string, bodies: Buffer[], onReply?: (index: number, reply: Reply) => void) =>
    withDatabase(load(operation, bodies, onReply), phase);

  // New users: emails no seeded user has; their subs, which the outbox files the codes under, come from SignUp's answers.
  const emails = Array.from({ length: counts.warmup + counts.hashed }, (_, i) => `new-${String(i).padStart(6, '0')}@example.com`);
  const subs = new Map<string, string>();
  const keepSub = (offset: number) => (index: number, reply: Reply) => {
    if (reply.status === 200) subs.set(emails[offset + index]!, String((JSON.parse(reply.body) as { UserSub: string }).UserSub));
  };
  const signUpBodies = emails.map((email) => signUpBody(clientId, email));
  await warmUp(load('SignUp', signUpBodies.slice(0, counts.warmup), keepSub(0)), 'SignUp');
  const signUp = await measured('SignUp', 'signUp', signUpBodies.slice(counts.warmup), keepSub(counts.warmup));

  const codes = await readCodes(servers[0]!.url, poolId);
  const confirmable = (list: string[]) => list.filter((email) => codes.has(subs.get(email) ?? ''));
  const confirm = (list: string[]) => list.map((email) => confirmBody(clientId, email, codes.get(subs.get(email)!)!));
  await warmUp(load('ConfirmSignUp', confirm(confirmable(emails.slice(0, counts.warmup)))), 'ConfirmSignUp');
  const confirmSignUp = await measured('ConfirmSignUp', 'confirmSignUp', confirm(confirmable(emails.slice(counts.warmup))));

  const listPhase = async (phase: string, filter: string | undefined, count: number, tokens: (string | undefined)[]) => {
    const bodies = Array.from({ length: counts.warmup + count }, (_, i) => listBody(poolId, tokens[i % tokens.length], filter));
    await warmUp(load('ListUsers', bodies.slice(0, Math.min(counts.warmup, count))), phase);
    return measured('ListUsers', phase, bodies.slice(counts.warmup));
  };
  const listUsers = await listPhase('listUsers', undefined, counts.requests, await deepTokens(target, poolId));
  const prefix = `email ^= "${SEED_PREFIX}"`;
  const listUsersPrefixFilter = await listPhase('listUsersPrefixFilter', prefix, counts.requests, await deepTokens(target, poolId, prefix));
  // One exact name per request, spread over the seeded range; a match is one page, so there is no deeper token.
  const exact = seeded.sampleUsernames.map((name) => `username = "${name}"`);
  const found = ((await call(target, 'ListUsers', { UserPoolId: poolId, Filter: exact[0] })).Users as unknown[]).length;
  if (found !== 1) throw new Error(`the filter ${exact[0]} found ${found} users, not 1`);
  const exactBodies = Array.from({ length: counts.scans }, (_, i) => listBody(poolId, undefined, exact[i % exact.length]));
  // One at a time: each may read the whole pool, and a queue of them would only measure the queue.
  const listUsersUsernameFilter = await withDatabase({ ...load('ListUsers', exactBodies), concurrency: 1 }, 'listUsersUsernameFilter');

  // Seeded users spread over the whole range, each signing in by email once.
  const step = Math.max(1, Math.floor(seeded.users / (counts.warmup + counts.hashed)));
  const signInBodies = Array.from({ length: counts.warmup + counts.hashed }, (_, i) => passwordSignInBody(clientId, seedEmail((i * step) % seeded.users)));
  await warmUp(load('InitiateAuth', signInBodies.slice(0, counts.warmup)), 'sign-in');
  const signIn = await measured('InitiateAuth', 'signIn', signInBodies.slice(counts.warmup));

  return { signUp, confirmSignUp, listUsers, listUsersPrefixFilter, listUsersUsernameFilter, signIn };
}
