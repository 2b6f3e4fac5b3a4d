/**
 * @module Round trips to PostgreSQL per ConfirmSignUp, read from the counter behind
 * userpool_postgres_round_trips_total: the store's transaction in two (lock and read behind the
 * BEGIN; writes with the COMMIT), whatever the judgement, and the whole request through the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pgTraffic } from '../../src/metrics/postgres-traffic.ts';
import { connectPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/store.ts';
import { confirmRequest, newPoolWithUser, peek, wrongCode } from '../contract/fixtures.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { freshSchema, postgresForTests, skipReason, type TestSchema } from '../helpers/postgres.ts';
import { callFrom } from '../helpers/raw-http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const what = 'PostgreSQL round trips per confirmation (test/e2e/postgres-round-trips.test.ts)';
const base = await postgresForTests(what);

/** The store's part of a common-case confirmation: no alias, no session. */
const STORE_ROUND_TRIPS = 2;
/** The operation's reads before it (client, pool, user) plus the store's part. */
const REQUEST_ROUND_TRIPS = 3 + STORE_ROUND_TRIPS;

async function roundTripsOf(call: () => Promise<unknown>): Promise<{ roundTrips: number; queries: number }> {
  const before = { ...pgTraffic };
  await call();
  return { roundTrips: pgTraffic.roundTrips - before.roundTrips, queries: pgTraffic.queries - before.queries };
}

describe('round trips of the ConfirmSignUp transaction', { skip: skipReason(base, what) }, () => {
  let schema: TestSchema;
  let store: Store;
  before(async () => {
    schema = freshSchema(base!);
    store = await connectPostgresStore(schema.url);
  });
  after(async () => {
    await store?.close();
    await schema?.drop();
  });

  test('a confirmation takes two, and leaves the user confirmed with the code consumed', async () => {
    const { pool, user } = await newPoolWithUser(store);
    const traffic = await roundTripsOf(async () => assert.equal((await store.confirmSignUp(confirmRequest(pool.id, user.usernameKey))).kind, 'confirmed'));
    assert.ok(traffic.queries >= 6, `BEGIN, lock, state, attempt, confirm, code and COMMIT went as ${traffic.queries} queries`);
    assert.equal(traffic.roundTrips, STORE_ROUND_TRIPS);
    assert.equal((await store.getUser(pool.id, user.usernameKey))?.status, 'CONFIRMED');
    const after = await peek(store, pool.id, user.usernameKey);
    assert.equal(after.code, undefined);
    assert.equal(after.attemptsInWindow, 1);
  });

  test('a counted refusal and an uncounted one take two each', async () => {
    const { pool, user } = await newPoolWithUser(store);
    const counted = await roundTripsOf(() => store.confirmSignUp(confirmRequest(pool.id, user.usernameKey, { judge: wrongCode })));
    assert.equal(counted.roundTrips, STORE_ROUND_TRIPS);
    const uncounted = await roundTripsOf(() => store.confirmSignUp(confirmRequest(pool.id, user.usernameKey, { judge: () => ({ kind: 'refuse', reason: 'limited', countAttempt: false }) })));
    assert.equal(uncounted.roundTrips, STORE_ROUND_TRIPS);
    assert.equal((await peek(store, pool.id, user.usernameKey)).attemptsInWindow, 1);
  });
});

describe('round trips of a ConfirmSignUp request, from /metrics', { skip: skipReason(base, what) }, () => {
  let schema: TestSchema;
  let server: TestServer;
  before(async () => {
    schema = freshSchema(base!);
    server = await startTestServer({ db: schema.url });
  });
  after(async () => {
    await server?.stop();
    await schema?.drop();
  });

  const scrape = async (): Promise<number> => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const value = /^userpool_postgres_round_trips_total (\d+)$/mu.exec(text)?.[1];
    assert.ok(value, 'userpool_postgres_round_trips_total is missing from /metrics');
    return Number(value);
  };

  test('the client, pool and user reads, then the two of the transaction', async () => {
    const client = server.client();
    const { CreateUserPoolCommand, CreateUserPoolClientCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    const poolId = (await client.send(new CreateUserPoolCommand({ PoolName: 'trips', AutoVerifiedAttributes: ['email'] }))).UserPool!.Id!;
    const clientId = (await client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'trips' }))).UserPoolClient!.ClientId!;
    // The outbox dispatcher polls once a second and a scrape reads the outbox; the quietest of a few
    // tries, less what a scrape alone costs, is the request's own figure.
    let quietest = Infinity;
    for (let i = 0; i < 4; i++) {
      const name = `trips-${i}`;
      const up = await callFrom(server.url, 'SignUp', { ClientId: clientId, Username: name, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }] });
      assert.equal(up.status, 200);
      const code = await server.latestCode(name);
      const idle0 = await scrape();
      const idle = (await scrape()) - idle0;
      const before = await scrape();
      const confirmed = await callFrom(server.url, 'ConfirmSignUp', { ClientId: clientId, Username: name, ConfirmationCode: code });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      quietest = Math.min(quietest, (await scrape()) - before - idle);
    }
    assert.ok(quietest > 0, 'the counter did not move');
    assert.ok(quietest <= REQUEST_ROUND_TRIPS, `a confirmation took ${quietest} round trips, more than ${REQUEST_ROUND_TRIPS}`);
  });
});
