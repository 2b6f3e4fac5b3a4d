/**
 * @module A loopback HTTP server that records every request and answers through a test-supplied
 * function: the receiving end for HTTP triggers, the SMS webhook and the SNS-compatible endpoint.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixturePath, type FixtureName } from '../fixtures/trigger-fixtures.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpEndpoint {
  url: string;
  requests: RecordedRequest[];
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startHttpEndpoint(respond: (request: RecordedRequest) => Reply | Promise<Reply>): Promise<HttpEndpoint> {
  const requests: RecordedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      for (const w of waiters.splice(0)) {
        if (requests.length >= w.count) w.resolve();
        else waiters.push(w);
      }
      Promise.resolve()
        .then(() => respond(request))
        .then(
          (reply) => {
            if (res.destroyed) return;
            res.writeHead(reply.status ?? 200, reply.headers ?? {});
            res.end(reply.body ?? '');
          },
          (error: unknown) => {
            if (res.destroyed) return;
            res.writeHead(500, { 'Content-Type': 'text/plain' });
            res.end(String(error));
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitForRequests: (count, timeoutMs = 15_000) => {
      if (requests.length >= count) return Promise.resolve(requests);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${requests.length} of ${count} requests within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(requests); } });
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Verifies a Standard Webhooks signature the way a receiver would, written out here rather than
 * borrowed from the server so the test checks the server and not itself.
 */
export function signatureValid(request: RecordedRequest, key: Buffer): boolean {
  const id = String(request.headers['webhook-id'] ?? '');
  const timestamp = String(request.headers['webhook-timestamp'] ?? '');
  const given = String(request.headers['webhook-signature'] ?? '');
  const expected = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest('base64')}`;
  return id !== '' && /^\d+$/u.test(timestamp) && given.split(' ').includes(expected);
}

/**
 * Answers HTTP trigger calls at `/<fixture name>` by running that fixture: 200 with the returned
 * event, or 400 with `{errorMessage, errorType}` when it throws; 401 when the signature is wrong.
 */
export function triggerFixtureResponder(key: Buffer): (request: RecordedRequest) => Promise<Reply> {
  return async (request) => {
    if (!signatureValid(request, key)) return { status: 401, body: 'bad signature' };
    const name = request.path.replace(/^\//u, '') as FixtureName;
    const fixture = (await import(fixturePath(name))) as { handler: (event: unknown) => Promise<unknown> };
    try {
      const result = await fixture.handler(JSON.parse(request.body));
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(result) };
    } catch (error) {
      const e = error as Error;
      return { status: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ errorMessage: e.message, errorType: e.name }) };
    }
  };
}
