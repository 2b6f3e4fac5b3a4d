/**
 * @module The request gate: rate quotas (spec §8, TooManyRequestsException) and per-pool request
 * rules standing in for a WAF web ACL (spec §9, ForbiddenException 403), through the real SDK.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../../src/domain/secret-hash.ts';
import { assertRejects, userState, writeConfig } from '../helpers/cognito.ts';
import { PASSWORD, createPool, rejection, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const RATE = 'TooManyRequestsException: Rate exceeded';
const NOT_FOUND = 'UserNotFoundException: Username/client id combination not found.';
const PROD_CLIENT = 'prodquotaclient00000000000';
const WAF = { type: 'ForbiddenException', message: 'Request not allowed due to WAF block.', status: 403 };

function tally(results: PromiseSettledResult<unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 'fulfilled' ? 'ok' : `${(r.reason as Error).name}: ${(r.reason as Error).message}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const parallel = <T>(n: number, call: (i: number) => Promise<T>) => Promise.allSettled(Array.from({ length: n }, (_, i) => call(i)));

const confirmGhost = (idp: CognitoIdentityProviderClient, ClientId: string, extra: Record<string, unknown> = {}) =>
  idp.send(new ConfirmSignUpCommand({ ClientId, Username: 'ghost', ConfirmationCode: '123456', ...extra }));

describe('rate quotas (spec §8)', () => {
  describe('off in the local profile unless configured', () => {
    let server: TestServer;
    before(async () => (server = await startTestServer()));
    after(() => server.stop());

    test('100 simultaneous calls are all answered on their merits', async () => {
      const idp = server.client();
      const { clientId } = await createPool(idp);
      assert.deepEqual(tally(await parallel(100, () => confirmGhost(idp, clientId))), { [NOT_FOUND]: 100 });
    });
  });

  describe('quotas: {UserCreation: 2} from the config file', () => {
    let server: TestServer;
    let idp: CognitoIdentityProviderClient;
    before(async () => {
      server = await startTestServer({ args: ['--config', writeConfig({ quotas: { UserCreation: 2 } })] });
      idp = server.client();
    });
    after(() => server.stop());

    test('ConfirmSignUp over the rate is TooManyRequestsException "Rate exceeded" (400), before the user is looked up', async () => {
      const { clientId } = await createPool(idp);
      const results = await parallel(12, () => confirmGhost(idp, clientId));
      const counts = tally(results);
      assert.ok((counts[RATE] ?? 0) >= 1, JSON.stringify(counts));
      assert.equal((counts[RATE] ?? 0) + (counts[NOT_FOUND] ?? 0), 12, JSON.stringify(counts));
      const throttled = results.find((r) => r.status === 'rejected' && (r.reason as Error).name === 'TooManyRequestsException') as PromiseRejectedResult;
      assert.equal(throttled.reason.$metadata.httpStatusCode, 400);
    });

    test('SignUp shares the UserCreation category; a throttled SignUp creates no user', async () => {
      const { poolId, clientId } = await createPool(idp);
      const names = Array.from({ length: 12 }, (_, i) => `quota-${i}`);
      const results = await parallel(12, (i) => signUp(idp, clientId, names[i]!));
      assert.ok(tally(results)[RATE]! >= 1, JSON.stringify(tally(results)));
      for (const [i, r] of results.entries()) {
        const exists = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: names[i] })).then(() => true, () => false);
        assert.equal(exists, r.status === 'fulfilled', names[i]);
      }
    });

    test('ResendConfirmationCode is counted as UserCreation too (spec §11 guess)', async () => {
      const { clientId } = await createPool(idp);
      const counts = tally(await parallel(12, () => idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'ghost' }))));
      assert.ok((counts[RATE] ?? 0) >= 1, JSON.stringify(counts));
    });

    test('a missing SecretHash is reported before the quota is consulted, and takes no token', async () => {
      const { clientId } = await createPool(idp, {}, { GenerateSecret: true });
      const counts = tally(await parallel(20, () => confirmGhost(idp, clientId)));
      assert.deepEqual(counts, { [`NotAuthorizedException: Unable to verify secret hash for client ${clientId}`]: 20 });
    });
  });

  describe('the production profile turns quotas on with the 50 RPS default', () => {
    let server: TestServer;
    before(async () => {
      // Declared in the file, so the test needs no signed admin call to make them.
      // Per-address limits off (0), so that one test process can reach the shared category quota.
      const config = writeConfig({ perAddressRps: 0, pools: [{ id: 'us-east-1_ProdQuota1', name: 'prod', clients: [{ id: PROD_CLIENT, name: 'c' }] }] });
      server = await startTestServer({ args: ['--profile', 'production', '--config', config], env: { USERPOOL_SECRET_KEY: randomBytes(32).toString('hex') } });
    });
    after(() => server.stop());

    test('a burst well over 50 calls a second is partly throttled', async () => {
      const idp = server.client();
      // Warm the store's connections first, so that the burst arrives as one.
      for (let i = 0; i < 5; i++) await rejection(() => confirmGhost(idp, PROD_CLIENT));
      const counts = tally(await parallel(300, () => confirmGhost(idp, PROD_CLIENT)));
      assert.ok((counts[RATE] ?? 0) >= 1, JSON.stringify(counts));
      assert.ok((counts[NOT_FOUND] ?? 0) >= 40, JSON.stringify(counts));
    });
  });

  describe('per-address rate and UserContextData.IpAddress (issue 3 rule 11)', () => {
    let server: TestServer;
    let idp: CognitoIdentityProviderClient;
    before(async () => {
      server = await startTestServer({ args: ['--config', writeConfig({ perAddressRps: 2 })] });
      idp = server.client();
    });
    after(() => server.stop());

    test('with EnablePropagateAdditionalUserContextData the end user\'s address is rated, not the caller\'s', async () => {
      const { clientId, clientSecret } = await createPool(idp, {}, { GenerateSecret: true, EnablePropagateAdditionalUserContextData: true });
      const SecretHash = secretHash(clientSecret!, 'ghost', clientId);
      const spread = await parallel(12, (i) => confirmGhost(idp, clientId, { SecretHash, UserContextData: { IpAddress: `198.51.100.${i + 1}`, EncodedData: 'x' } }));
      assert.deepEqual(tally(spread), { [NOT_FOUND]: 12 });
      const same = await parallel(12, () => confirmGhost(idp, clientId, { SecretHash, UserContextData: { IpAddress: '203.0.113.7' } }));
      assert.ok((tally(same)[RATE] ?? 0) >= 1, JSON.stringify(tally(same)));
    });

    test('once the client\'s last secret is deleted, UserContextData.IpAddress is no longer believed', async () => {
      const { poolId, clientId } = await createPool(idp, {}, { GenerateSecret: true, EnablePropagateAdditionalUserContextData: true });
      const { ClientSecrets } = await idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }));
      for (const { ClientSecretId } of ClientSecrets!) {
        await idp.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId }));
      }
      const spread = await parallel(12, (i) => confirmGhost(idp, clientId, { UserContextData: { IpAddress: `198.51.100.${i + 1}` } }));
      assert.ok((tally(spread)[RATE] ?? 0) >= 1, JSON.stringify(tally(spread)));
    });

    test('without it, UserContextData.IpAddress is ignored and the socket address is rated', async () => {
      const { clientId } = await createPool(idp);
      const spread = await parallel(12, (i) => confirmGhost(idp, clientId, { UserContextData: { IpAddress: `198.51.100.${i + 1}` } }));
      assert.ok((tally(spread)[RATE] ?? 0) >= 1, JSON.stringify(tally(spread)));
    });
  });
});

describe('request rules (spec §9)', () => {
  const BY_OP = { pool: 'us-east-1_RulesByOp1', client: 'rulesbyopclient00000000000' };
  const BY_CIDR = { pool: 'us-east-1_RulesCidr1', client: 'rulescidrclient00000000000' };
  const ELSEWHERE = { pool: 'us-east-1_RulesElse1', client: 'ruleselseclient00000000000' };
  const DENY_ALL = { pool: 'us-east-1_RulesDeny1', client: 'rulesdenyclient00000000000' };
  const ALLOW_LOCAL = { pool: 'us-east-1_RulesAllow', client: 'rulesallowclient0000000000' };
  const PROPAGATING = { pool: 'us-east-1_RulesProp1', client: 'rulespropclient00000000000', secret: 'rulespropsecret000000000000000000000000000000000000a' };
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;

  before(async () => {
    const declare = (p: { pool: string; client: string; secret?: string }, requestRules: unknown, clientSettings: Record<string, unknown> = {}) => ({
      id: p.pool,
      name: p.pool,
      settings: { AutoVerifiedAttributes: ['email'] },
      requestRules,
      clients: [{ id: p.client, name: 'c', secret: p.secret, settings: clientSettings }],
    });
    const config = writeConfig({
      pools: [
        declare(BY_OP, { rules: [{ action: 'block', operations: ['ConfirmSignUp', 'ResendConfirmationCode'] }], defaultAction: 'allow' }),
        declare(BY_CIDR, { rules: [{ action: 'block', cidrs: ['127.0.0.0/8'] }], defaultAction: 'allow' }),
        declare(ELSEWHERE, { rules: [{ action: 'block', cidrs: ['10.0.0.0/8', '2001:db8::/32'] }], defaultAction: 'allow' }),
        declare(DENY_ALL, { rules: [], defaultAction: 'block' }),
        declare(ALLOW_LOCAL, { rules: [{ action: 'allow', cidrs: ['127.0.0.1/32'] }], defaultAction: 'block' }),
        declare(PROPAGATING, { rules: [{ action: 'block', cidrs: ['127.0.0.0/8'], operations: ['ConfirmSignUp'] }], defaultAction: 'allow' }, {
          EnablePropagateAdditionalUserContextData: true,
        }),
      ],
    });
    server = await startTestServer({ args: ['--config', config] });
    idp = server.client();
  });
  after(() => server.stop());

  test('by operation: ConfirmSignUp and ResendConfirmationCode are blocked, SignUp is not, admin calls are never inspected', async () => {
    await signUp(idp, BY_OP.client, 'rules-op');
    const code = await server.latestCode('rules-op');
    await assertRejects(() => idp.send(new ConfirmSignUpCommand({ ClientId: BY_OP.client, Username: 'rules-op', ConfirmationCode: code })), WAF);
    await assertRejects(() => idp.send(new ResendConfirmationCodeCommand({ ClientId: BY_OP.client, Username: 'rules-op' })), WAF);
    assert.equal((await server.outbox('rules-op')).length, 1);
    assert.equal((await userState(idp, BY_OP.pool, 'rules-op')).status, 'UNCONFIRMED');
  });

  test('by source CIDR: 127.0.0.0/8 blocks every public operation from this machine', async () => {
    await assertRejects(() => signUp(idp, BY_CIDR.client, 'rules-cidr'), WAF);
    await assertRejects(() => userState(idp, BY_CIDR.pool, 'rules-cidr'), { type: 'UserNotFoundException', message: 'User does not exist.' });
    await assertRejects(() => confirmGhost(idp, BY_CIDR.client), WAF);
  });

  test('a rule for other networks lets this machine through', async () => {
    await signUp(idp, ELSEWHERE.client, 'rules-else');
    await idp.send(new ConfirmSignUpCommand({ ClientId: ELSEWHERE.client, Username: 'rules-else', ConfirmationCode: await server.latestCode('rules-else') }));
    assert.equal((await userState(idp, ELSEWHERE.pool, 'rules-else')).status, 'CONFIRMED');
  });

  test('defaultAction block with no rules blocks; an allow rule for 127.0.0.1 opens it', async () => {
    await assertRejects(() => signUp(idp, DENY_ALL.client, 'rules-deny'), WAF);
    await signUp(idp, ALLOW_LOCAL.client, 'rules-allow');
    assert.equal((await userState(idp, ALLOW_LOCAL.pool, 'rules-allow')).status, 'UNCONFIRMED');
  });

  test('the rules see the connection\'s address, not UserContextData.IpAddress, and come before SecretHash', async () => {
    await assertRejects(() => confirmGhost(idp, PROPAGATING.client, { UserContextData: { IpAddress: '198.51.100.1' } }), WAF);
    const SecretHash = secretHash(PROPAGATING.secret, 'rules-prop', PROPAGATING.client);
    await idp.send(
      new SignUpCommand({ ClientId: PROPAGATING.client, Username: 'rules-prop', SecretHash, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'p@example.com' }] }),
    );
    assert.equal((await userState(idp, PROPAGATING.pool, 'rules-prop')).status, 'UNCONFIRMED');
  });

  test('an unknown client is ResourceNotFoundException, since no pool (and so no rule) applies', async () => {
    await assertRejects(() => confirmGhost(idp, 'unknownclient0000000000000'), {
      type: 'ResourceNotFoundException',
      message: 'User pool client unknownclient0000000000000 does not exist.',
    });
  });
});

describe('request rules that cannot work stop the server at start', () => {
  test('a misspelt operation name exits with code 2 and says why', async () => {
    const config = writeConfig({
      pools: [{ id: 'us-east-1_BadRules1', name: 'bad', requestRules: { rules: [{ action: 'block', operations: ['ConfirmSignup'] }] } }],
    });
    const failure = await rejection(() => startTestServer({ args: ['--config', config] }));
    assert.match(failure.message, /server exited with 2/u);
    assert.match(failure.message, /requestRules of pool us-east-1_BadRules1: rules\[0\]\.operations: "ConfirmSignup" is not a Cognito operation name/u);
  });
});
