/**
 * @module GET /metrics: Prometheus text with requests by operation and outcome, latency, outbox
 * depth and age, deliveries, triggers, store errors and group-commit batches; kept to operators
 * in the production profile (bearer token or a port of its own).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { functionArn } from '../fixtures/trigger-fixtures.ts';
import { writeConfig, writeModule } from '../helpers/cognito.ts';
import { PASSWORD } from '../helpers/fixtures.ts';
import { callFrom } from '../helpers/raw-http.ts';
import { productionEnv, startTestServer, type TestServer } from '../helpers/server.ts';

const POOL = 'us-east-1_Metrics001';
const CLIENT = 'metricsclient0000000000000';

/** A port nothing listens on, so every delivery fails and is retried. */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const match = /^([a-z_]+)(\{([^}]*)\})? (.+)$/u.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[3] ?? '').split(',');
    if (wanted.every((w) => have.includes(w))) return Number(match[4]);
  }
  return undefined;
}

describe('/metrics in the local profile', () => {
  let server: TestServer;
  before(async () => {
    const arn = functionArn('counted');
    const config = writeConfig({
      functions: { [arn]: { module: writeModule('export const handler = async (event) => event;') } },
      pools: [{ id: POOL, name: 'metrics', settings: { AutoVerifiedAttributes: ['email'], LambdaConfig: { PreSignUp: arn } }, clients: [{ id: CLIENT, name: 'c' }] }],
    });
    server = await startTestServer({ args: ['--config', config, '--smtp-url', `smtp://127.0.0.1:${await deadPort()}`] });
  });
  after(() => server.stop());

  test('counts requests by operation and outcome, with latency, and knows the outbox and triggers', async () => {
    const up = await callFrom(server.url, 'SignUp', { ClientId: CLIENT, Username: 'm1', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'm1@example.com' }] });
    assert.equal(up.status, 200);
    await callFrom(server.url, 'ConfirmSignUp', { ClientId: CLIENT, Username: 'm1', ConfirmationCode: '000000' });
    await callFrom(server.url, 'ConfirmSignUp', { ClientId: CLIENT, Username: 'm1', ConfirmationCode: '000000' });
    await callFrom(server.url, 'NoSuchOperation', {});
    await callFrom(server.url, 'ThisIsNotOne' + 'x'.repeat(50), {});
    await server.advanceClock(120);
    // Let the dispatcher try (and fail) the delivery at least once.
    await new Promise((r) => setTimeout(r, 1500));

    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/u);
    const text = await res.text();
    assert.equal(sample(text, 'userpool_requests_total', { operation: 'SignUp', outcome: 'ok' }), 1);
    assert.equal(sample(text, 'userpool_requests_total', { operation: 'ConfirmSignUp', outcome: 'CodeMismatchException' }), 2);
    // Unknown names share one label value, so a caller cannot grow the series without bound.
    assert.equal(sample(text, 'userpool_requests_total', { operation: 'unknown', outcome: 'UnknownOperationException' }), 2);
    assert.equal(sample(text, 'userpool_request_duration_seconds_count', { operation: 'ConfirmSignUp' }), 2);
    assert.ok(sample(text, 'userpool_request_duration_seconds_bucket', { operation: 'SignUp', le: '+Inf' }) === 1);
    assert.equal(sample(text, 'userpool_outbox_pending'), 1);
    assert.ok((sample(text, 'userpool_outbox_oldest_pending_seconds') ?? 0) >= 120, 'the oldest message is at least as old as the clock moved');
    assert.ok((sample(text, 'userpool_deliveries_total', { medium: 'EMAIL', outcome: 'retry' }) ?? 0) >= 1);
    assert.ok((sample(text, 'userpool_delivery_duration_seconds_count', { medium: 'EMAIL' }) ?? 0) >= 1);
    assert.equal(sample(text, 'userpool_trigger_invocations_total', { trigger: 'PreSignUp', outcome: 'ok' }), 1);
    assert.equal(sample(text, 'userpool_trigger_duration_seconds_count', { trigger: 'PreSignUp' }), 1);
    assert.match(text, /# TYPE userpool_store_errors_total counter/u);
    if (!process.env.USERPOOL_TEST_DB) {
      const commits = sample(text, 'userpool_sqlite_commit_batch_size_count') ?? 0;
      assert.ok(commits >= 3);
      // Every durable commit is followed by one fsync of the WAL; the outbox's own write may still be syncing.
      const syncs = sample(text, 'userpool_sqlite_fsync_seconds_count') ?? 0;
      assert.ok(syncs === commits || syncs === commits - 1, `${syncs} fsyncs for ${commits} commits`);
      assert.ok((sample(text, 'userpool_sqlite_fsync_seconds_sum') ?? 0) > 0);
    }
    assert.ok((sample(text, 'userpool_process_cpu_seconds_total') ?? 0) > 0);
  });
});

describe('/metrics in the production profile', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const server of servers) await server.stop();
  });

  test('absent unless a token or a metrics port is configured', async () => {
    const server = await startTestServer({ args: ['--profile', 'production'], env: productionEnv() });
    servers.push(server);
    assert.equal((await fetch(`${server.url}/metrics`)).status, 404);
  });

  test('with USERPOOL_METRICS_TOKEN: 401 without the bearer token, 200 with it', async () => {
    const token = 'metrics-token-0123456789';
    const server = await startTestServer({ args: ['--profile', 'production'], env: { ...productionEnv(), USERPOOL_METRICS_TOKEN: token } });
    servers.push(server);
    const refused = await fetch(`${server.url}/metrics`);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    assert.equal((await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}x` } })).status, 401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /userpool_requests_total/u);
  });

  test('with --metrics-port: served there only', async () => {
    const server = await startTestServer({ args: ['--profile', 'production', '--metrics-port', '0'], env: productionEnv() });
    servers.push(server);
    const metricsUrl = /"metricsUrl":"([^"]+)"/u.exec(server.output())?.[1];
    assert.ok(metricsUrl, server.output());
    assert.equal((await fetch(`${server.url}/metrics`)).status, 404);
    const res = await fetch(metricsUrl);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /# HELP userpool_outbox_pending/u);
    assert.equal((await fetch(metricsUrl.replace('/metrics', '/health'))).status, 404);
  });
});
