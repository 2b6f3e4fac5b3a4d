/**
 * @module Property-based fuzzing of every implemented operation from the API model: whatever the
 * input, the answer is a well-formed AWS JSON 1.1 200 or 4xx, never a 5xx, and the server stays up
 * with bounded memory. FUZZ_SEED and FUZZ_RUNS override the fixed defaults; FUZZ_ONLY replays one
 * request by index.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { logsSettled, operationsUnderTest, outcomes, report, rssOf, runApiFuzz, type RunResult } from './harness.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const ONLY = process.env.FUZZ_ONLY === undefined ? undefined : Number(process.env.FUZZ_ONLY);
/**
 * Growth allowed over the run. In flight at once are a few 1 MiB bodies and their parsed copies
 * and argon2's 19 MiB per hash, and V8 keeps freed heap for a while: a 10,000-request run grows
 * by 80–190 MiB and a 100,000-request run stays at that level. Bodies average about 35 KB, so a
 * server that kept them would add some 350 MiB over 10,000 requests and break the bound.
 */
const RSS_GROWTH_LIMIT = 384 * 1024 * 1024;

/**
 * Success needs a password, a session or a token that only a real sign-in yields and random input
 * cannot guess; these are fuzzed for well-formed refusals only (their successes are tested in
 * test/e2e/sign-in-*.test.ts and test/e2e/account-*.test.ts).
 */
const NEEDS_A_SECRET = new Set([
  'InitiateAuth', 'AdminInitiateAuth', 'RespondToAuthChallenge', 'AdminRespondToAuthChallenge',
  'GetTokensFromRefreshToken', 'GetUser', 'GlobalSignOut', 'RevokeToken',
  // The signed-in user's own operations take an access token; ConfirmForgotPassword a recovery code.
  'ChangePassword', 'ConfirmForgotPassword', 'DeleteUser', 'DeleteUserAttributes', 'GetUserAttributeVerificationCode',
  'UpdateUserAttributes', 'VerifyUserAttribute',
]);

describe('API fuzz: every implemented operation answers random input well-formed and below 500', () => {
  let server: TestServer;
  let result: RunResult;
  let rssBefore: number | undefined;
  let rssAfter: number | undefined;

  before(async () => {
    server = await startTestServer();
    rssBefore = rssOf(server.process.pid);
    result = await runApiFuzz({
      url: server.url,
      sdk: server.client(),
      seed: SEED,
      runs: RUNS,
      only: ONLY,
      concurrency: 8,
      alive: () => server.process.exitCode === null && server.process.signalCode === null,
    });
    rssAfter = rssOf(server.process.pid);
    await logsSettled(server.output, result.findings);
    const mib = (n: number | undefined) => (n === undefined ? '?' : `${(n / 2 ** 20).toFixed(0)} MiB`);
    console.log(`fuzz seed ${SEED}: ${result.sent} requests in ${(result.ms / 1000).toFixed(1)} s; server RSS ${mib(rssBefore)} → ${mib(rssAfter)}`);
    console.log(`successful calls: ${operationsUnderTest.map((op) => `${op} ${result.statuses[op]?.['200'] ?? 0}`).join(', ')}`);
  });
  after(() => server.stop());

  it('spreads the requests evenly over all implemented operations', { skip: ONLY !== undefined }, () => {
    assert.equal(result.aborted, undefined);
    const counts = operationsUnderTest.map((op) => Object.values(result.statuses[op] ?? {}).reduce((a, b) => a + b, 0));
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `per-operation counts: ${counts.join(', ')}`);
    assert.equal(result.sent, RUNS);
  });

  it('gets past validation into the handlers for every operation', { skip: ONLY !== undefined || RUNS < 5000 }, () => {
    // A 200 shows that real ids reached the store; an operation that never succeeds is not being fuzzed beyond validation.
    const silent = operationsUnderTest.filter((op) => !result.statuses[op]?.['200'] && !NEEDS_A_SECRET.has(op));
    assert.deepEqual(silent, [], outcomes(result));
  });

  it('answers every request with 200 or a 4xx AWS error envelope, headers within 8 KiB', () => {
    const replay = (index: number) => `FUZZ_SEED=${SEED} FUZZ_ONLY=${index} node --import tsx --test test/fuzz/api.fuzz.test.ts`;
    assert.equal(result.findings.length, 0, report(result, SEED, server.output(), replay));
  });

  it('stays up with bounded memory and still answers /health', async () => {
    assert.equal(server.process.exitCode, null, `server exited:\n${server.output().slice(-4000)}`);
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    if (rssBefore !== undefined && rssAfter !== undefined) {
      assert.ok(rssAfter - rssBefore < RSS_GROWTH_LIMIT, `RSS grew from ${rssBefore} to ${rssAfter} bytes`);
    }
  });
});
