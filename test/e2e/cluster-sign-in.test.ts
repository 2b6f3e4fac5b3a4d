/**
 * @module Sign-in across several server processes on one PostgreSQL schema (sign-in spec §5.5, §13):
 * a challenge started on one instance is answered on another, every session is used once however
 * many instances race for it, lockout and revocation hold cluster-wide, and every instance serves
 * the keys the others sign with.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import {
  AdminCreateUserCommand,
  ConfirmSignUpCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects, userState } from '../helpers/cognito.ts';
import { createPool, PASSWORD, signUp } from '../helpers/fixtures.ts';
import { freshSchema, postgresForTests, skipReason, type TestSchema } from '../helpers/postgres.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { outcomes, tally } from '../helpers/outcomes.ts';
import { srpClient } from '../helpers/srp-client.ts';

const what = 'cluster sign-in e2e on PostgreSQL (test/e2e/cluster-sign-in.test.ts)';
const base = await postgresForTests(what);
const INSTANCES = 3;
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'] as const;
/**
 * A load balancer gives the cluster one origin; every instance is told it, so each one issues and
 * accepts tokens under the same `iss` (the local issuer is `<public URL>/<poolId>`). Without it each
 * instance defaults to its own listen URL and refuses the others' access tokens as `Invalid Access Token`.
 */
const PUBLIC_URL = 'http://userpool.cluster.test';

const BAD = AWS_ERRORS.badCredentials;
const USED = AWS_ERRORS.sessionUsed;
const LOCKED = { type: 'NotAuthorizedException', message: 'Password attempts exceeded' };


const used = (n: number) => ({ [`${USED.type}: ${USED.message}`]: n });
const payload = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
const header = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('sign-in across several instances on one PostgreSQL schema', { skip: skipReason(base, what) }, () => {
  let schema: TestSchema | undefined;
  const nodes: TestServer[] = [];
  let poolId: string;
  let clientId: string;
  /** The SDK client of instance `i` (0-based), wrapping round. */
  const client = (i: number): CognitoIdentityProviderClient => nodes[i % nodes.length]!.client();
  const everywhere = [0, 1, 2];

  before(async () => {
    schema = freshSchema(base!);
    const started = await Promise.allSettled(
      Array.from({ length: INSTANCES }, () => startTestServer({ db: schema!.url, args: ['--public-url', PUBLIC_URL] })),
    );
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    ({ poolId, clientId } = await createPool(client(0), {}, { ExplicitAuthFlows: [...FLOWS] }));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await schema?.drop();
  });

  /** Signs `username` up on instance `on` and confirms it on the next one; returns ConfirmSignUp's answer. */
  const confirmed = async (username: string, on = 0) => {
    await signUp(client(on), clientId, username);
    const code = await nodes[(on + 1) % INSTANCES]!.latestCode(username);
    return client(on + 1).send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
  };
  const passwordAuth = (i: number, username: string, password = PASSWORD) =>
    client(i).send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: password } }));
  const tokensOf = async (call: Promise<{ AuthenticationResult?: AuthenticationResultType; ChallengeName?: string }>) => {
    const out = await call;
    assert.equal(out.ChallengeName, undefined, `expected tokens, got the challenge ${out.ChallengeName}`);
    assert.ok(out.AuthenticationResult?.AccessToken && out.AuthenticationResult.IdToken, 'AuthenticationResult has tokens');
    return out.AuthenticationResult;
  };
  const getUser = (i: number, accessToken: string) => client(i).send(new GetUserCommand({ AccessToken: accessToken }));
  const refresh = (i: number, token: string) =>
    client(i).send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: token } }));
  /** The per-process test clock moves on every instance together, so they keep agreeing on the time. */
  const advanceAll = (seconds: number) => Promise.all(nodes.map((n) => n.advanceClock(seconds)));

  /** InitiateAuth USER_SRP_AUTH on instance `on`: the PASSWORD_VERIFIER challenge and the client's answer to it. */
  const startSrp = async (on: number, username: string, password = PASSWORD) => {
    const srp = await srpClient(poolId);
    const start = await client(on).send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, SRP_A: srp.srpA } }));
    assert.equal(start.ChallengeName, 'PASSWORD_VERIFIER');
    assert.equal(start.ChallengeParameters?.USER_ID_FOR_SRP, username);
    const responses = await srp.answer(start.ChallengeParameters!, password);
    const answer = (i: number) =>
      client(i).send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', Session: start.Session, ChallengeResponses: responses }));
    return { start, answer };
  };

  it('all instances started on one schema and report ready', async () => {
    assert.equal(nodes.length, INSTANCES);
    for (const node of nodes) assert.equal((await fetch(`${node.url}/health/ready`)).status, 200);
  });

  it('USER_SRP_AUTH started on instance 1 completes on instance 2; the session is then used up on instance 3', async () => {
    await confirmed('srp-user');
    const { answer } = await startSrp(0, 'srp-user');
    const result = await tokensOf(answer(1));
    assert.equal(payload(result.AccessToken!).username, 'srp-user');
    assert.equal(payload(result.IdToken!)['cognito:username'], 'srp-user');
    assert.equal((await getUser(2, result.AccessToken!)).Username, 'srp-user');
    await assertRejects(() => answer(2), USED);
  });

  it('USER_SRP_AUTH with a wrong password: the proof is refused by the instance it reaches', async () => {
    await confirmed('srp-wrong', 1);
    const { answer } = await startSrp(1, 'srp-wrong', 'Wrong-Horse-0');
    await assertRejects(() => answer(2), BAD);
  });

  it('NEW_PASSWORD_REQUIRED for an AdminCreateUser user: started on one instance, answered on another', async () => {
    await client(0).send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'invited', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }] }),
    );
    const start = await passwordAuth(1, 'invited', 'Temp-Passw0rd!');
    assert.equal(start.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.equal(JSON.parse(start.ChallengeParameters!.userAttributes!).email, 'invited@example.com');
    const answer = (i: number) =>
      client(i).send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: start.Session, ChallengeResponses: { USERNAME: 'invited', NEW_PASSWORD: 'New-Passw0rd!' } }));
    const result = await tokensOf(answer(2));
    assert.equal(payload(result.AccessToken!).username, 'invited');
    assert.equal((await userState(client(0), poolId, 'invited')).status, 'CONFIRMED');
    await assertRejects(() => answer(0), USED);
    await tokensOf(passwordAuth(0, 'invited', 'New-Passw0rd!'));
    await assertRejects(() => passwordAuth(1, 'invited', 'Temp-Passw0rd!'), BAD);
  });

  it("USER_AUTH with ConfirmSignUp's Session: confirmed on instance 1, redeemed on instance 2, refused on instance 3", async () => {
    await signUp(client(0), clientId, 'session-user');
    const confirmedOut = await client(0).send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'session-user', ConfirmationCode: await nodes[0]!.latestCode('session-user') }));
    assert.ok(confirmedOut.Session && confirmedOut.Session.length >= 20, 'ConfirmSignUp returned a Session');
    const redeem = (i: number) =>
      client(i).send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'session-user' }, Session: confirmedOut.Session }));
    const result = await tokensOf(redeem(1));
    assert.equal(payload(result.IdToken!)['cognito:username'], 'session-user');
    await assertRejects(() => redeem(2), USED);
  });

  it('one PASSWORD_VERIFIER session answered at once on every instance: exactly one answer gets tokens', async () => {
    await confirmed('srp-race', 2);
    for (let round = 0; round < 3; round++) {
      const { answer } = await startSrp(round, 'srp-race');
      // Two answers per instance, all in flight together.
      const results = await outcomes([...everywhere, ...everywhere].map((i) => () => answer(i)));
      assert.deepEqual(tally(results), { ok: 1, ...used(5) }, `round ${round}`);
    }
  });

  it('one NEW_PASSWORD_REQUIRED session answered at once on every instance: exactly one sets the password', async () => {
    await client(1).send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'invite-race', TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
    const start = await passwordAuth(2, 'invite-race', 'Temp-Passw0rd!');
    assert.equal(start.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    const passwords = everywhere.map((i) => `Raced-Passw0rd-${i}!`);
    const settled = await Promise.allSettled(
      everywhere.map((i) =>
        client(i).send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: start.Session, ChallengeResponses: { USERNAME: 'invite-race', NEW_PASSWORD: passwords[i]! } })),
      ),
    );
    const results = settled.map((s) => (s.status === 'fulfilled' ? { ok: true as const } : { ok: false as const, type: (s.reason as Error).name, message: (s.reason as Error).message }));
    assert.deepEqual(tally(results), { ok: 1, ...used(2) });
    // The winner's password is the password; the losers' are not.
    const winner = settled.findIndex((s) => s.status === 'fulfilled');
    await tokensOf(passwordAuth(0, 'invite-race', passwords[winner]!));
    for (const [i, password] of passwords.entries()) if (i !== winner) await assertRejects(() => passwordAuth(1, 'invite-race', password), BAD);
  });

  it("one ConfirmSignUp Session redeemed at once on every instance: one sign-in, the rest 'used once'", async () => {
    const { Session } = await confirmed('session-race', 1);
    const results = await outcomes(
      [...everywhere, ...everywhere].map((i) => () => client(i).send(new InitiateAuthCommand({ AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'session-race' }, Session }))),
    );
    assert.deepEqual(tally(results), { ok: 1, ...used(5) });
  });

  it('lockout is cluster-wide: failures on different instances count together (2^(n−5) s from the 5th)', async () => {
    await confirmed('locked');
    for (let i = 0; i < 5; i++) await assertRejects(() => passwordAuth(i, 'locked', `Wrong-Horse-${i}`), BAD);
    // The 5th failure locks for 1 s: the right password is refused everywhere (refusals during a
    // lockout hash nothing, so the three answers come back well inside that second).
    assert.deepEqual(tally(await outcomes(everywhere.map((i) => () => passwordAuth(i, 'locked')))), { [`${LOCKED.type}: ${LOCKED.message}`]: 3 });

    // Past that second, a 6th failure is a plain refusal and locks for 2 s everywhere.
    await advanceAll(1);
    await assertRejects(() => passwordAuth(1, 'locked', 'Wrong-Horse-5'), BAD);
    assert.deepEqual(tally(await outcomes(everywhere.map((i) => () => passwordAuth(i, 'locked')))), { [`${LOCKED.type}: ${LOCKED.message}`]: 3 });
    // A wrong password during the lockout is refused the same way and does not lengthen it.
    await assertRejects(() => passwordAuth(2, 'locked', 'Wrong-Horse-6'), LOCKED);

    // After the 2 s, the right password works on another instance and starts the count over.
    await advanceAll(3);
    await tokensOf(passwordAuth(0, 'locked'));
    await assertRejects(() => passwordAuth(1, 'locked', 'Wrong-Horse-7'), BAD);
    await tokensOf(passwordAuth(2, 'locked'));
  });

  it('a refresh token from instance 1 works on instance 2; GlobalSignOut on instance 3 revokes on instances 1 and 2', async () => {
    await confirmed('refresher');
    const first = await tokensOf(passwordAuth(0, 'refresher'));
    const second = await tokensOf(passwordAuth(1, 'refresher'));
    const refreshed = await tokensOf(refresh(1, first.RefreshToken!));
    assert.equal(refreshed.RefreshToken, undefined, 'no rotation: no new refresh token');
    assert.equal(payload(refreshed.AccessToken!).origin_jti, payload(first.AccessToken!).origin_jti);
    assert.notEqual(payload(refreshed.AccessToken!).jti, payload(first.AccessToken!).jti);
    assert.equal((await getUser(0, refreshed.AccessToken!)).Username, 'refresher');
    assert.equal((await getUser(2, second.AccessToken!)).Username, 'refresher');

    await client(2).send(new GlobalSignOutCommand({ AccessToken: first.AccessToken! }));
    const revokedAccess = { type: 'NotAuthorizedException', message: 'Access Token has been revoked' };
    const revokedRefresh = { type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' };
    for (const i of [0, 1]) {
      for (const access of [first.AccessToken!, refreshed.AccessToken!, second.AccessToken!]) await assertRejects(() => getUser(i, access), revokedAccess);
      for (const token of [first.RefreshToken!, second.RefreshToken!]) await assertRejects(() => refresh(i, token), revokedRefresh);
    }
    // A new sign-in after the sign-out is a new family and works everywhere.
    const after = await tokensOf(passwordAuth(2, 'refresher'));
    for (const i of everywhere) assert.equal((await getUser(i, after.AccessToken!)).Username, 'refresher');
  });

  it("a new pool's first sign-ins on every instance at once share one key pair; every instance's JWKS verifies every token", async () => {
    // A fresh pool has no signing keys yet: the three instances race to make them.
    const fresh = await createPool(client(1), {}, { ExplicitAuthFlows: [...FLOWS] });
    const names = everywhere.map((i) => `keyed${i}`);
    for (const [i, name] of names.entries()) {
      await signUp(client(i), fresh.clientId, name);
      await client(i + 1).send(new ConfirmSignUpCommand({ ClientId: fresh.clientId, Username: name, ConfirmationCode: await nodes[i]!.latestCode(name) }));
    }
    const results = await Promise.all(
      names.map((name, i) =>
        tokensOf(client(i).send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: fresh.clientId, AuthParameters: { USERNAME: name, PASSWORD } }))),
      ),
    );
    const jwks = await Promise.all(
      nodes.map(async (node) => {
        const res = await fetch(`${node.url}/${fresh.poolId}/.well-known/jwks.json`);
        assert.equal(res.status, 200);
        return (await res.json()) as JSONWebKeySet;
      }),
    );
    const kids = jwks.map((doc) => doc.keys.map((k) => k.kid).sort());
    assert.equal(kids[0]!.length, 2, 'two keys: one for ID tokens, one for access tokens');
    assert.deepEqual(kids[1], kids[0]);
    assert.deepEqual(kids[2], kids[0]);
    const issuer = `${PUBLIC_URL}/${fresh.poolId}`;
    for (const [i, result] of results.entries()) {
      for (const token of [result.AccessToken!, result.IdToken!]) {
        assert.ok(kids[0]!.includes(header(token).kid as string), `instance ${i + 1} signed with a kid no instance serves`);
        // Instance i's tokens against the keys the next instance serves.
        const verified = await jwtVerify(token, createLocalJWKSet(jwks[(i + 1) % INSTANCES]!), { issuer, algorithms: ['RS256'] });
        assert.equal(verified.payload.sub, payload(token).sub);
      }
      assert.equal((await getUser(i + 1, result.AccessToken!)).Username, names[i]);
    }
  });

  it('an instance on PostgreSQL without a public URL warns that other instances will refuse its tokens', async () => {
    const lone = await startTestServer({ db: schema!.url });
    try {
      const { clientId: plain } = await createPool(lone.client(), {}, { ExplicitAuthFlows: [...FLOWS] });
      await signUp(lone.client(), plain, 'issuer-check');
      await lone.client().send(new ConfirmSignUpCommand({ ClientId: plain, Username: 'issuer-check', ConfirmationCode: await lone.latestCode('issuer-check') }));
      const result = await tokensOf(lone.client().send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: plain, AuthParameters: { USERNAME: 'issuer-check', PASSWORD } })));
      assert.match(lone.output(), /no public URL is set/u);
      // Why it warns: the token names this instance, and an instance with the shared public URL refuses it.
      assert.ok(String(payload(result.AccessToken!).iss).startsWith(lone.url));
      await assertRejects(() => getUser(0, result.AccessToken!), { type: 'NotAuthorizedException', message: 'Invalid Access Token' });
    } finally {
      await lone.stop();
    }
    for (const node of nodes) assert.doesNotMatch(node.output(), /no public URL is set/u);
  });
});
