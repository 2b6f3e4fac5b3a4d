/**
 * @module Signing-key rotation (sign-in spec §10.2, §10.8, §10.9): through the control route and
 * the CLI, old keys kept in the JWKS and accepted until their tokens have expired, then gone, and
 * a rotation on one PostgreSQL instance seen by another within the key cache age.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ConfirmSignUpCommand, GetUserCommand, InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { assertRejects, writeConfig } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { freshSchema, postgresForTests, skipReason, type TestSchema } from '../helpers/postgres.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const DAY = 86_400;

const kidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { kid: string }).kid;

interface Tokens {
  access: string;
  id: string;
}

async function served(server: TestServer, poolId: string): Promise<Jwks> {
  const res = await fetch(`${server.url}/${poolId}/.well-known/jwks.json`);
  assert.equal(res.status, 200);
  return (await res.json()) as Jwks;
}

const kidsIn = (doc: Jwks) => doc.keys.map((k) => k.kid!).sort();

async function rotateViaControl(server: TestServer, poolId: string): Promise<Response> {
  return fetch(`${server.url}/_userpool/pools/${poolId}/rotate-signing-keys`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
}

/** A pool with one confirmed user, made on `server`. */
async function poolWithUser(server: TestServer, username: string): Promise<{ poolId: string; clientId: string }> {
  const idp = server.client();
  const { poolId, clientId } = await createPool(idp, {}, { ExplicitAuthFlows: [...FLOWS] });
  await signUp(idp, clientId, username);
  await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await server.latestCode(username) }));
  return { poolId, clientId };
}

async function signIn(idp: CognitoIdentityProviderClient, clientId: string, username: string): Promise<Tokens> {
  const out = await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD } }));
  return { access: out.AuthenticationResult!.AccessToken!, id: out.AuthenticationResult!.IdToken! };
}

/** Polls the JWKS until `done` holds or `withinMs` passes; returns how long it took. */
async function jwksUntil(server: TestServer, poolId: string, done: (doc: Jwks) => boolean, withinMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const doc = await served(server, poolId);
    if (done(doc)) return Date.now() - start;
    if (Date.now() - start > withinMs) assert.fail(`JWKS still ${JSON.stringify(kidsIn(doc))} after ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('signing-key rotation through the control route', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await poolWithUser(server, 'rotor'));
  });
  after(() => server.stop());

  test('old keys stay listed and accepted after a rotation, new tokens use the new keys, and a day later the old ones are gone', async () => {
    const old = await signIn(idp, clientId, 'rotor');
    const initial = await served(server, poolId);
    assert.equal(initial.keys.length, 2);
    assert.deepEqual(kidsIn(initial), [kidOf(old.access), kidOf(old.id)].sort());

    const res = await rotateViaControl(server, poolId);
    assert.equal(res.status, 200);
    const { kids } = (await res.json()) as { kids: { id: string; access: string } };
    assert.deepEqual(Object.keys(kids), ['id', 'access']);
    assert.ok(![kidOf(old.access), kidOf(old.id)].includes(kids.id) && ![kidOf(old.access), kidOf(old.id)].includes(kids.access));

    const rotated = await served(server, poolId);
    assert.equal(rotated.keys.length, 4);
    assert.deepEqual(kidsIn(rotated), [kidOf(old.access), kidOf(old.id), kids.id, kids.access].sort());
    for (const key of rotated.keys) assert.deepEqual(Object.keys(key), ['alg', 'e', 'kid', 'kty', 'n', 'use']);

    // The token signed before the rotation still works on the API and offline against the served JWKS (spec §10.9).
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: old.access }))).Username, 'rotor');
    const issuer = `${server.url}/${poolId}`;
    const verifier = (tokenUse: 'access' | 'id') => {
      const v = JwtVerifier.create({
        issuer,
        audience: null,
        jwksUri: `${issuer}/.well-known/jwks.json`,
        customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse, clientId }),
      });
      v.cacheJwks(rotated);
      return v;
    };
    assert.equal((await verifier('access').verify(old.access)).username, 'rotor');
    assert.equal((await verifier('id').verify(old.id))['cognito:username'], 'rotor');

    const fresh = await signIn(idp, clientId, 'rotor');
    assert.deepEqual([kidOf(fresh.access), kidOf(fresh.id)], [kids.access, kids.id]);
    assert.equal((await verifier('access').verify(fresh.access)).username, 'rotor');
    assert.equal((await verifier('id').verify(fresh.id))['cognito:username'], 'rotor');

    // Just short of a day on, the old token has expired but its key is still published and known.
    await server.advanceClock(DAY - 600);
    assert.equal((await served(server, poolId)).keys.length, 4);
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: old.access })), { type: 'NotAuthorizedException', message: 'Access Token has expired' });

    // Past a day and the key cache age: the old keys are gone, and their tokens are invalid, not merely expired.
    await server.advanceClock(720);
    assert.deepEqual(kidsIn(await served(server, poolId)), [kids.id, kids.access].sort());
    await assertRejects(() => idp.send(new GetUserCommand({ AccessToken: old.access })), { type: 'NotAuthorizedException', message: 'Invalid Access Token' });
    const later = await signIn(idp, clientId, 'rotor');
    assert.deepEqual([kidOf(later.access), kidOf(later.id)], [kids.access, kids.id]);
    assert.equal((await idp.send(new GetUserCommand({ AccessToken: later.access }))).Username, 'rotor');
  });

  test('an unknown pool is a 404 with a JSON message, and rotates nothing', async () => {
    const res = await rotateViaControl(server, 'us-east-1_Missing99');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/u);
    assert.deepEqual(await res.json(), { error: 'User pool us-east-1_Missing99 does not exist.' });
  });

  test('the route needs a JSON content type like every control POST', async () => {
    const res = await fetch(`${server.url}/_userpool/pools/${poolId}/rotate-signing-keys`, { method: 'POST' });
    assert.equal(res.status, 415);
  });
});

const execFileAsync = promisify(execFile);

/** Runs the CLI as a user would, without the test machine's own userpool variables. */
async function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  for (const name of ['USERPOOL_DB', 'USERPOOL_CONFIG', 'USERPOOL_PROFILE', 'USERPOOL_SECRET_KEY']) delete env[name];
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env: { ...env, ...extraEnv }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('userpool rotate-signing-keys against a running server\'s SQLite file', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;

  before(async () => {
    // A one-second key cache age, so the server notices the CLI's rotation without a minute's wait.
    server = await startTestServer({ args: ['--config', writeConfig({ signingKeyCacheSeconds: 1 })] });
    ({ poolId, clientId } = await poolWithUser(server, 'operator'));
  });
  after(() => server.stop());

  test('prints the new kids as JSON, exits 0, and the server lists and signs with them within the cache age', async () => {
    const old = await signIn(server.client(), clientId, 'operator');
    assert.equal((await served(server, poolId)).keys.length, 2);

    const run = await cli(['rotate-signing-keys', '--db', server.db, '--pool', poolId]);
    assert.equal(run.code, 0, run.stderr);
    const { kids } = JSON.parse(run.stdout) as { kids: { id: string; access: string } };
    assert.match(kids.id, /^[A-Za-z0-9+/]{43}=$/u);
    assert.match(kids.access, /^[A-Za-z0-9+/]{43}=$/u);

    await jwksUntil(server, poolId, (doc) => doc.keys.length === 4, 5000);
    assert.deepEqual(kidsIn(await served(server, poolId)), [kidOf(old.access), kidOf(old.id), kids.id, kids.access].sort());
    const fresh = await signIn(server.client(), clientId, 'operator');
    assert.deepEqual([kidOf(fresh.access), kidOf(fresh.id)], [kids.access, kids.id]);
    assert.equal((await server.client().send(new GetUserCommand({ AccessToken: old.access }))).Username, 'operator');
  });

  test('an unknown pool exits 2 with a clear message', async () => {
    const run = await cli(['rotate-signing-keys', '--db', server.db, '--pool', 'us-east-1_Missing99']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /User pool us-east-1_Missing99 does not exist\./u);
    assert.equal(run.stdout, '');
  });

  test('a pool without keys yet exits 2: the servers make the first pair, and there is nothing to rotate', async () => {
    const { poolId: unused } = await createPool(server.client());
    const run = await cli(['rotate-signing-keys', '--db', server.db, '--pool', unused]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /has no signing keys yet/u);
  });

  test('a master key that cannot open the pool\'s keys exits 2 and rotates nothing', async () => {
    const prior = kidsIn(await served(server, poolId));
    const run = await cli(['rotate-signing-keys', '--db', server.db, '--pool', poolId], { USERPOOL_SECRET_KEY: randomBytes(32).toString('hex') });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /master key does not open the signing keys/u);
    await new Promise((r) => setTimeout(r, 1200));
    assert.deepEqual(kidsIn(await served(server, poolId)), prior);
  });
});

const what = 'signing-key rotation across PostgreSQL instances (test/e2e/sign-in-keys.test.ts)';
const base = await postgresForTests(what);
/** Long enough that the test can see an instance still serving its copy, short enough not to wait long. */
const CACHE_SECONDS = 4;

describe('a rotation on one PostgreSQL instance, seen by another within the key cache age', { skip: skipReason(base, what) }, () => {
  let schema: TestSchema | undefined;
  const nodes: TestServer[] = [];
  let poolId: string;
  let clientId: string;

  before(async () => {
    schema = freshSchema(base!);
    // One public URL, as behind a load balancer: the local issuer form is built from it.
    const args = ['--config', writeConfig({ signingKeyCacheSeconds: CACHE_SECONDS }), '--public-url', 'http://userpool.test'];
    nodes.push(await startTestServer({ db: schema.url, args }));
    nodes.push(await startTestServer({ db: schema.url, args }));
    ({ poolId, clientId } = await poolWithUser(nodes[0]!, 'clustered'));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await schema?.drop();
  });

  test('instance 2 keeps its copy for the cache age, then lists the new keys and signs with them', async () => {
    const [one, two] = nodes as [TestServer, TestServer];
    const old = await signIn(two.client(), clientId, 'clustered');
    const start = kidsIn(await served(two, poolId));
    assert.deepEqual(kidsIn(await served(one, poolId)), start);

    const res = await rotateViaControl(one, poolId);
    assert.equal(res.status, 200);
    const rotatedAt = Date.now();
    const { kids } = (await res.json()) as { kids: { id: string; access: string } };
    assert.equal((await served(one, poolId)).keys.length, 4, 'the rotating instance lists the new keys at once');
    // No store read per request: instance 2 still answers from the copy it read a moment ago.
    assert.deepEqual(kidsIn(await served(two, poolId)), start);

    const waited = await jwksUntil(two, poolId, (doc) => doc.keys.length === 4, CACHE_SECONDS * 1000 + 3000);
    assert.ok(Date.now() - rotatedAt <= CACHE_SECONDS * 1000 + 3000, `seen after ${waited} ms`);
    assert.deepEqual(kidsIn(await served(two, poolId)), [...start, kids.id, kids.access].sort());
    const fresh = await signIn(two.client(), clientId, 'clustered');
    assert.deepEqual([kidOf(fresh.access), kidOf(fresh.id)], [kids.access, kids.id]);
    // Tokens of either generation work on either instance.
    assert.equal((await one.client().send(new GetUserCommand({ AccessToken: old.access }))).Username, 'clustered');
    assert.equal((await one.client().send(new GetUserCommand({ AccessToken: fresh.access }))).Username, 'clustered');
  });
});
