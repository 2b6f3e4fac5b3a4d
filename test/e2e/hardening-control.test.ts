/**
 * @module The local control API cannot be used by a web page: no CORS, JSON-only POSTs (a plain
 * cross-site form cannot wipe the pools), loopback Host and Origin only (DNS rebinding).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { rawExchange } from '../helpers/raw-http.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

function rawGet(server: TestServer, path: string, headers: Record<string, string>) {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return rawExchange(server.url, `GET ${path} HTTP/1.1\r\n${lines}Connection: close\r\n\r\n`);
}

describe('control API: closed to web pages', () => {
  let server: TestServer;
  let port: string;
  before(async () => {
    server = await startTestServer({ args: ['--control-hosts', 'userpool.internal'] });
    port = new URL(server.url).port;
    const { clientId } = await createPool(server.client());
    await signUp(server.client(), clientId, 'victim');
  });
  after(() => server.stop());

  test('no CORS headers on its answers or its preflight, while the API keeps its own', async () => {
    const res = await fetch(`${server.url}/_userpool/outbox`, { headers: { Origin: `http://localhost:${port}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${server.url}/_userpool/reset`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.headers.get('access-control-allow-methods'), null);
    const api = await fetch(`${server.url}/`, { method: 'OPTIONS', headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(api.headers.get('access-control-allow-origin'), '*');
  });

  test('a POST without a JSON content type (what a cross-site form sends) changes nothing: 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const res = await fetch(`${server.url}/_userpool/reset`, { method: 'POST', headers: type ? { 'Content-Type': type } : {}, body: type ? 'x=1' : undefined });
      assert.equal(res.status, 415, String(type));
      const clock = await fetch(`${server.url}/_userpool/clock`, { method: 'POST', headers: type ? { 'Content-Type': type } : {}, body: '{"advanceSeconds":100000}' });
      assert.equal(clock.status, 415, String(type));
    }
    const pools = await server.client().send(new ListUserPoolsCommand({ MaxResults: 10 }));
    assert.equal(pools.UserPools?.length, 1, 'the pools are still there');
    assert.equal((await server.outbox('victim')).length, 1);
  });

  test('a foreign Host (DNS rebinding) or Origin is refused with 403; loopback and configured names pass', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.evil.example`]) {
      assert.equal((await rawGet(server, '/_userpool/outbox', { Host: host })).status, 403, host);
    }
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null']) {
      assert.equal((await rawGet(server, '/_userpool/outbox', { Host: `127.0.0.1:${port}`, Origin: origin })).status, 403, origin);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `app.localhost:${port}`, `userpool.internal:${port}`]) {
      assert.equal((await rawGet(server, '/_userpool/outbox', { Host: host })).status, 200, host);
    }
    assert.equal((await rawGet(server, '/_userpool/outbox', { Host: `localhost:${port}`, Origin: `http://localhost:3000` })).status, 200);
    // The API itself is meant for browsers and any host name, as Cognito's is.
    const api = await rawExchange(server.url, `POST / HTTP/1.1\r\nHost: evil.example\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{"MaxResults":1}`);
    assert.equal(api.status, 200);
  });
});
