/** @module The request listener keeps every failure inside its request: a throw is a 500, a bad target a 400. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { createRequestListener, parseTarget, type Routes } from './listener.ts';

describe('createRequestListener', () => {
  let server: Server;
  let base: string;
  const routes: Routes = {
    api: () => {
      throw new Error('synchronous failure in a handler');
    },
    pages: {
      '/rejects': () => Promise.reject(new Error('asynchronous failure')),
      '/ok': (_req, res) => void res.end('fine'),
      '/half': (_req, res) => {
        res.writeHead(200, { 'Content-Length': '10' });
        res.write('12345');
        throw new Error('failure after the headers went out');
      },
    },
    prefixes: [],
  };
  before(async () => {
    server = createServer(createRequestListener(routes, pino({ level: 'silent' })));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  test('a synchronous throw is a 500 with the AWS envelope, for that request only', async () => {
    const res = await fetch(base, { method: 'POST', body: '{}' });
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { __type: 'InternalErrorException', message: 'Internal server error.' });
    assert.match(res.headers.get('x-amzn-requestid') ?? '', /^[0-9a-f-]{36}$/u);
    assert.equal((await fetch(`${base}/ok`)).status, 200);
  });

  test('a rejected promise is a 500 too', async () => {
    assert.equal((await fetch(`${base}/rejects`)).status, 500);
  });

  test('a failure after the headers were sent cuts that connection and nothing else', async () => {
    await assert.rejects(async () => (await fetch(`${base}/half`)).text());
    assert.equal(await (await fetch(`${base}/ok`)).text(), 'fine');
  });

  test('unknown paths get the UnknownOperationException envelope with 404', async () => {
    const res = await fetch(`${base}/nowhere`);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as { __type: string }).__type, 'UnknownOperationException');
  });
});

test('parseTarget: targets WHATWG URL rejects are undefined, others parse', () => {
  for (const target of ['http://[::1', '//[', 'http://a:b:c/', 'http://%zz/', '//a:99999/', 'http://[/']) assert.equal(parseTarget(target), undefined, target);
  assert.equal(parseTarget('/health?x=1')?.pathname, '/health');
  assert.equal(parseTarget('http://example.com/confirmUser')?.pathname, '/confirmUser');
  assert.equal(parseTarget(undefined)?.pathname, '/');
});
