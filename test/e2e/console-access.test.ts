/**
 * @module Who reaches the admin console (docs/console.md): open in the local profile but only to
 * loopback Host and Origin values (DNS rebinding), absent in production unless enabled and then
 * behind the admin access keys or the console token; every POST needs the CSRF token; every
 * action leaves one log line naming its actor and no secret.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ListUserPoolClientSecretsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool } from '../helpers/fixtures.ts';
import { rawExchange } from '../helpers/raw-http.ts';
import { productionEnv, startTestServer, TEST_CREDENTIALS, type TestServer } from '../helpers/server.ts';

const TOKEN = 'console-token-for-tests-0123456789';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function raw(server: TestServer, method: string, path: string, headers: Record<string, string>, body = '') {
  const lines = Object.entries({ ...headers, ...(body ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return rawExchange(server.url, `${method} ${path} HTTP/1.1\r\n${lines}Connection: close\r\n\r\n${body}`);
}

/** GETs a console page and returns the CSRF cookie it set and the token its forms carry. */
async function csrfOf(url: string, headers: Record<string, string> = {}): Promise<{ cookie: string; token: string }> {
  const res = await fetch(url, { headers });
  assert.equal(res.status, 200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='))!.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/u.exec(await res.text())![1]!;
  return { cookie, token };
}

function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
}

async function secretCount(server: TestServer, poolId: string, clientId: string): Promise<number> {
  const out = await server.client().send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }));
  return out.ClientSecrets?.length ?? 0;
}

const actionLines = (server: TestServer) =>
  server
    .output()
    .split('\n')
    .filter((l) => l.includes('"msg":"console action"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('console in the local profile', () => {
  let server: TestServer;
  let poolId: string;
  let clientId: string;
  before(async () => {
    server = await startTestServer({ args: ['--control-hosts', 'userpool.internal'] });
    ({ poolId, clientId } = await createPool(server.client(), {}, { GenerateSecret: true }));
  });
  after(() => server.stop());

  test('served without credentials: pages, the stylesheet, redirects, the strict CSP, its own 404 and 405', async () => {
    const page = await fetch(`${server.url}/_console/pools`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/u);
    assert.equal(
      page.headers.get('content-security-policy'),
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    assert.match(await page.text(), new RegExp(`href="/_console/pools/${poolId}"`, 'u'));
    for (const path of ['/_console', '/_console/']) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), '/_console/pools');
    }
    const css = await fetch(`${server.url}/_console/static/console.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type')!, /^text\/css/u);
    assert.match(await css.text(), /@media \(max-width:40rem\)/u);
    const missing = await fetch(`${server.url}/_console/no/such/page`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<h1>Not found<\/h1>/u);
    const unknownPool = await fetch(`${server.url}/_console/pools/us-east-1_nothere`);
    assert.equal(unknownPool.status, 404);
    assert.match(await unknownPool.text(), /User pool us-east-1_nothere does not exist\./u);
    const put = await fetch(`${server.url}/_console/pools`, { method: 'PUT' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, HEAD, POST');
    const head = await fetch(`${server.url}/_console/pools`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  test('DNS rebinding: only loopback or configured Host and Origin values are served', async () => {
    const port = new URL(server.url).port;
    const evil = await raw(server, 'GET', '/_console/pools', { Host: `rebound.example:${port}` });
    assert.equal(evil.status, 403);
    assert.doesNotMatch(evil.text, new RegExp(poolId, 'u'));
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `userpool.internal:${port}`]) {
      assert.equal((await raw(server, 'GET', '/_console/pools', { Host: host })).status, 200, host);
    }
    const crossOrigin = await raw(server, 'POST', `/_console/pools/${poolId}/clients/${clientId}/secrets`, {
      Host: `localhost:${port}`,
      Origin: 'http://rebound.example',
      'Content-Type': 'application/x-www-form-urlencoded',
    }, '_csrf=x');
    assert.equal(crossOrigin.status, 403);
  });

  test('CSRF: a POST without the token, or with one that is not the cookie\'s, changes nothing (403)', async () => {
    const path = `${server.url}/_console/pools/${poolId}/clients/${clientId}/secrets`;
    const { cookie, token } = await csrfOf(`${server.url}/_console/pools/${poolId}/clients/${clientId}`);
    const attempts = [
      post(path, {}),
      post(path, { _csrf: token }),
      post(path, {}, { cookie }),
      post(path, { _csrf: 'A'.repeat(43) }, { cookie }),
    ];
    for (const res of await Promise.all(attempts)) {
      assert.equal(res.status, 403);
      assert.match(await res.text(), /role="alert">This form has expired/u);
    }
    assert.equal(await secretCount(server, poolId, clientId), 1);
  });

  test('an action runs through the API operation and is logged once with its actor, never the secret', async () => {
    const { cookie, token } = await csrfOf(`${server.url}/_console/pools/${poolId}/clients/${clientId}`);
    const before = actionLines(server).length;
    const res = await post(`${server.url}/_console/pools/${poolId}/clients/${clientId}/secrets`, { _csrf: token }, { cookie });
    assert.equal(res.status, 200);
    const page = await res.text();
    const value = /<div class="secret-once"[\s\S]*?<code>([^<]+)<\/code>/u.exec(page)![1]!;
    assert.equal(await secretCount(server, poolId, clientId), 2);
    await new Promise((r) => setTimeout(r, 200));
    const lines = actionLines(server).slice(before);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.deepEqual(
      { actor: lines[0]!.actor, operation: lines[0]!.operation, poolId: lines[0]!.poolId, outcome: lines[0]!.outcome },
      { actor: 'local', operation: 'AddUserPoolClientSecret', poolId, outcome: 'ok' },
    );
    assert.ok(!server.output().includes(value), 'the new secret must not reach the log');
    // The answer is the only place the value appears; the client page shows it masked from now on.
    const again = await (await fetch(`${server.url}/_console/pools/${poolId}/clients/${clientId}`, { headers: { cookie } })).text();
    assert.ok(!again.includes(value));
    // A refusal is logged with the API's error type: a third secret is over Cognito's limit of two.
    const refused = await post(`${server.url}/_console/pools/${poolId}/clients/${clientId}/secrets`, { _csrf: token }, { cookie });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /role="alert"><strong>LimitExceededException<\/strong>/u);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(actionLines(server).slice(before)[1]?.outcome, 'LimitExceededException');
  });
});

describe('console in the production profile', () => {
  test('absent unless enabled: the API\'s own 404', async () => {
    const server = await startTestServer({ args: ['--profile', 'production'], env: productionEnv() });
    try {
      for (const path of ['/_console/pools', '/_console']) {
        const res = await fetch(`${server.url}${path}`, { headers: { authorization: basic(TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey) } });
        assert.equal(res.status, 404, path);
        assert.match(res.headers.get('content-type') ?? '', /json/u);
      }
    } finally {
      await server.stop();
    }
  });

  describe('enabled', () => {
    let server: TestServer;
    let poolId: string;
    let clientId: string;
    before(async () => {
      server = await startTestServer({ args: ['--profile', 'production', '--console-path', '/admin'], env: { ...productionEnv(), USERPOOL_CONSOLE: '1', USERPOOL_CONSOLE_TOKEN: TOKEN } });
      ({ poolId, clientId } = await createPool(server.client(), {}, { GenerateSecret: true }));
    });
    after(() => server.stop());

    test('401 with the Basic challenge without credentials or with a wrong one, on every path and method', async () => {
      const wrong: Record<string, string>[] = [
        {},
        { authorization: basic(TEST_CREDENTIALS.accessKeyId, 'not-the-secret') },
        { authorization: basic('AKIDOTHER', TEST_CREDENTIALS.secretAccessKey) },
        { authorization: `Bearer ${TOKEN}x` },
        { authorization: 'Bearer ' },
        { authorization: 'Basic !!!' },
      ];
      for (const headers of wrong) {
        for (const [method, path] of [['GET', '/admin/pools'], ['GET', '/admin/static/console.css'], ['GET', '/admin/nothing'], ['POST', `/admin/pools/${poolId}/clients/${clientId}/secrets`]] as const) {
          const res = await fetch(`${server.url}${path}`, { method, headers });
          assert.equal(res.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
          assert.equal(res.headers.get('www-authenticate'), 'Basic realm="userpool console"');
          assert.doesNotMatch(await res.text(), new RegExp(poolId, 'u'));
        }
      }
      assert.equal(await secretCount(server, poolId, clientId), 1);
    });

    test('200 with an admin access key pair as Basic credentials, and with the bearer token', async () => {
      for (const authorization of [basic(TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey), `Bearer ${TOKEN}`]) {
        const res = await fetch(`${server.url}/admin/pools`, { headers: { authorization } });
        assert.equal(res.status, 200, authorization.split(' ')[0]);
        assert.match(await res.text(), new RegExp(`href="/admin/pools/${poolId}"`, 'u'));
      }
      // Mounted at the configured path only.
      assert.equal((await fetch(`${server.url}/_console/pools`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
    });

    test('the action log names the access key id that acted', async () => {
      const authorization = basic(TEST_CREDENTIALS.accessKeyId, TEST_CREDENTIALS.secretAccessKey);
      const { cookie, token } = await csrfOf(`${server.url}/admin/pools/${poolId}/clients/${clientId}`, { authorization });
      const res = await post(`${server.url}/admin/pools/${poolId}/clients/${clientId}/secrets`, { _csrf: token }, { cookie, authorization });
      assert.equal(res.status, 200);
      await new Promise((r) => setTimeout(r, 200));
      const line = actionLines(server).at(-1)!;
      assert.equal(line.actor, TEST_CREDENTIALS.accessKeyId);
      assert.equal(line.operation, 'AddUserPoolClientSecret');
      assert.ok(!server.output().includes(TEST_CREDENTIALS.secretAccessKey));
      assert.ok(!server.output().includes(TOKEN));
    });
  });
});
