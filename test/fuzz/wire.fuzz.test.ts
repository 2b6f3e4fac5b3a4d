/**
 * @module Raw-socket fuzzing of the HTTP layer: malformed request-targets, chunked encoding,
 * header sizes and bytes, framing and slow clients. Every answer must be an HTTP response below
 * 500 (or a clean close, which is how Node's parser refuses broken HTTP), and afterwards the
 * server must still answer /health. A case that kills the process fails itself, and the next
 * case gets a fresh server.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { TARGET_PREFIX } from './arbitraries.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const WAIT_MS = 1500;

interface Response {
  status: number;
  head: string;
}

interface Answer {
  responses: Response[];
  /** The server closed the connection (or reset it) within the wait. */
  closed: boolean;
  /** Bytes after the last complete response: a response cut short. */
  rest: string;
}

interface Case {
  name: string;
  /** Written in order, `gapMs` apart; strings go out as latin1 so every byte value can be sent. */
  parts: (string | Buffer)[];
  /** Responses to wait for; fewer is fine when the server closes first. */
  expect?: number;
  /** No answer at all is acceptable: the request never completes, or Node drops it by design. */
  silent?: boolean;
  gapMs?: number;
  /** Half-close after writing, like a client that gives up on the body. */
  end?: boolean;
  /**
   * Why this case killed the server before the fix in src/protocol/listener.ts: `new URL(req.url,
   * base)` in the request listener threw for request-targets Node's parser accepts, and the
   * exception ended the process. Documentation only: the case must pass now and failed then.
   */
  crashedBefore?: string;
}

/** Complete responses in `text` (latin1); 1xx interim answers are skipped. */
function parseResponses(text: string): { responses: Response[]; rest: string } {
  const responses: Response[] = [];
  let at = 0;
  for (;;) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const head = text.slice(at, end);
    const status = /^HTTP\/1\.[01] (\d{3})/u.exec(head);
    if (!status) return { responses, rest: text.slice(at) };
    let next = end + 4;
    const length = /\r\ncontent-length: *(\d+)/iu.exec(head);
    if (length) next += Number(length[1]);
    else if (/\r\ntransfer-encoding: *chunked/iu.test(head)) {
      const last = text.indexOf('\r\n0\r\n\r\n', end) >= 0 ? text.indexOf('\r\n0\r\n\r\n', end) + 7 : text.startsWith('0\r\n\r\n', next) ? next + 5 : -1;
      if (last < 0) break;
      next = last;
    }
    if (next > text.length) break;
    if (Number(status[1]) >= 200) responses.push({ status: Number(status[1]), head: head.slice(0, 300) });
    at = next;
  }
  return { responses, rest: text.slice(at) };
}

function exchange(url: string, c: Case): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponses(text), closed });
    };
    const timer = setTimeout(() => finish(false), WAIT_MS + (c.gapMs ?? 0) * c.parts.length);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (parseResponses(text).responses.length >= (c.expect ?? 1)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.setNoDelay(true);
    void (async () => {
      for (const part of c.parts) {
        if (settled) return;
        socket.write(typeof part === 'string' ? Buffer.from(part, 'latin1') : part);
        if (c.gapMs) await new Promise((r) => setTimeout(r, c.gapMs));
      }
      if (c.end && !settled) socket.end();
    })();
  });
}

const get = (target: string, extra = '') => `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;
const api = (body: string, extra = '') =>
  `POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: ${TARGET_PREFIX}.ListUserPools\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const URL_CRASH = 'new URL(req.url) threw in the request listener of src/server.ts and the process exited';

/** Request-targets Node's HTTP parser lets through but the WHATWG URL parser rejects. */
const BAD_TARGETS = [
  'http://[::1', '//[', 'http://a:b:c/', 'http://%zz/', '//a:99999/', 'http://[/', 'http://[::ffff:1.2.3.4/', 'http://localhost:65536/health', '//user@[::1]:x/',
  'http://', '//', 'https://[fe80::1%25eth0]/',
];

const throwsInUrl = (target: string) => {
  try {
    new URL(target, 'http://localhost');
    return false;
  } catch {
    return true;
  }
};

const fixedCases: Case[] = [
  ...BAD_TARGETS.map((t): Case => ({ name: `GET ${t}`, parts: [get(t)], crashedBefore: URL_CRASH })),
  ...BAD_TARGETS.slice(0, 3).map((t): Case => ({ name: `POST ${t} with an API body`, parts: [api('{}').replace('POST / ', `POST ${t} `)], crashedBefore: URL_CRASH })),
  { name: 'OPTIONS to a bad target', parts: [`OPTIONS http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n`], crashedBefore: URL_CRASH },
  ...['/%', '/%zz', '*', 'http://a b/', '/health?x=%ff%', '/..%2f..%2fetc/passwd', '/\u00ff\u00fe', `/${'a'.repeat(7000)}`, `/${'a'.repeat(70_000)}`]
    .map((t): Case => ({ name: `GET ${t.slice(0, 40)}`, parts: [get(t)] })),
  { name: 'chunked: size that is not hex', parts: [`${api('').replace('Content-Length: 0', 'Transfer-Encoding: chunked')}zz\r\n{}\r\n0\r\n\r\n`] },
  { name: 'chunked: size past 2^64', parts: [`${api('').replace('Content-Length: 0', 'Transfer-Encoding: chunked')}ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n`] },
  { name: 'chunked: no last chunk, then half-close', parts: [`${api('').replace('Content-Length: 0', 'Transfer-Encoding: chunked')}2\r\n{}\r\n`], end: true, silent: true },
  { name: 'chunked: extension garbage', parts: [`${api('').replace('Content-Length: 0', 'Transfer-Encoding: chunked')}2;\u0000=\u00ff\r\n{}\r\n0\r\n\r\n`] },
  { name: 'chunked with Content-Length too (smuggling shape)', parts: [`${api('{}', 'Transfer-Encoding: chunked\r\n')}`] },
  { name: 'Transfer-Encoding: gzip, chunked', parts: [`${api('').replace('Content-Length: 0', 'Transfer-Encoding: gzip, chunked')}2\r\n{}\r\n0\r\n\r\n`] },
  { name: 'a valid chunked API call', parts: [`${api('').replace('Content-Length: 0', 'Transfer-Encoding: chunked')}1\r\n{\r\n1\r\n}\r\n0\r\n\r\n`] },
  { name: 'one 20 KiB header', parts: [get('/health', `X-Big: ${'a'.repeat(20 * 1024)}\r\n`)] },
  { name: '300 headers of 100 bytes', parts: [get('/health', Array.from({ length: 300 }, (_, i) => `X-H${i}: ${'b'.repeat(90)}\r\n`).join(''))] },
  { name: '3000 tiny headers', parts: [get('/health', Array.from({ length: 3000 }, (_, i) => `X${i}: v\r\n`).join(''))] },
  { name: 'header value with bytes 0x80-0xff', parts: [api('{}', `X-Amz-User-Agent: ${'\u0080\u00ff\u00e9'.repeat(10)}\r\n`)] },
  { name: 'X-Amz-Target with latin1 bytes', parts: [api('{}').replace('.ListUserPools', '.ListUser\u00e9Pools')] },
  { name: 'header value with NUL', parts: [get('/health', 'X-Nul: a\u0000b\r\n')] },
  { name: 'header value with a bare CR', parts: [get('/health', 'X-Cr: a\rb\r\n')] },
  { name: 'obsolete line folding', parts: [get('/health', 'X-Fold: a\r\n  b\r\n')] },
  { name: 'header name with a space', parts: [get('/health', 'X Bad: a\r\n')] },
  { name: 'Content-Length: -1', parts: [api('{}').replace('Content-Length: 2', 'Content-Length: -1')] },
  { name: 'Content-Length: abc', parts: [api('{}').replace('Content-Length: 2', 'Content-Length: abc')] },
  { name: 'two different Content-Lengths', parts: [api('{}', 'Content-Length: 5\r\n')] },
  { name: 'Content-Length past 2^53', parts: [api('{}').replace('Content-Length: 2', 'Content-Length: 99999999999999999999')] },
  { name: 'missing Host on HTTP/1.1', parts: ['GET /health HTTP/1.1\r\n\r\n'] },
  { name: 'HTTP/1.0 without Host', parts: ['GET /health HTTP/1.0\r\n\r\n'] },
  { name: 'HTTP/1.0 API call', parts: [api('{}').replace('HTTP/1.1', 'HTTP/1.0')] },
  { name: 'HTTP/1.2 request line', parts: [get('/health').replace('HTTP/1.1', 'HTTP/1.2')] },
  { name: 'HTTP/2.0 request line', parts: [get('/health').replace('HTTP/1.1', 'HTTP/2.0')] },
  { name: 'HTTP/9.9', parts: [get('/health').replace('HTTP/1.1', 'HTTP/9.9')] },
  { name: 'not HTTP at all', parts: ['hello\r\n\r\n'] },
  { name: 'a TLS ClientHello', parts: [Buffer.from('160301002e0100002a0303000000000000000000000000000000000000000000000000000000000000000000000002002f0100', 'hex')] },
  { name: 'unknown method', parts: ['BREW / HTTP/1.1\r\nHost: x\r\n\r\n'] },
  { name: 'CONNECT', parts: ['CONNECT localhost:1 HTTP/1.1\r\nHost: localhost:1\r\n\r\n'], silent: true },
  { name: 'Upgrade: websocket', parts: [get('/', 'Connection: Upgrade\r\nUpgrade: websocket\r\n')], silent: true },
  { name: 'Expect: 100-continue', parts: [api('{}', 'Expect: 100-continue\r\n')] },
  { name: 'Expect: something else', parts: [api('{}', 'Expect: 42-nonsense\r\n')] },
  { name: 'three pipelined requests', parts: [get('/health') + api('{}') + get('/health')], expect: 3 },
  { name: 'pipelined after a malformed one', parts: [`${get('http://[::1')}${get('/health')}`], expect: 2, crashedBefore: URL_CRASH },
  { name: 'body shorter than Content-Length, then half-close', parts: [api('{}').replace('Content-Length: 2', 'Content-Length: 100')], end: true, silent: true },
  { name: 'body shorter than Content-Length, client stays', parts: [api('{}').replace('Content-Length: 2', 'Content-Length: 100')], silent: true },
  { name: 'body longer than Content-Length', parts: [`${api('{}')}GARBAGE\r\n\r\n`], expect: 2 },
  { name: 'only CRLFs', parts: ['\r\n\r\n\r\n'], silent: true },
  { name: 'request line split byte by byte', parts: [...get('/health')], gapMs: 5 },
  { name: 'slow partial headers, then abandoned', parts: ['GET /health HTTP/1.1\r\n', 'Host: x\r\n', 'X-Slow: a'], gapMs: 300, silent: true },
];

/** Random request-targets built from the characters URL parsers disagree about. */
const randomTargets: Case[] = fc
  .sample(
    fc.tuple(
      fc.constantFrom('http://', '//', '/', 'https://', 'http:', ''),
      fc.string({ unit: fc.constantFrom(...'[]:/%@?#\\.a1zZ-_~!$&\'()*+,;=\u00ff'.split('')), maxLength: 24 }),
    ),
    { seed: SEED, numRuns: 40 },
  )
  .map(([scheme, rest]) => `${scheme}${rest}` || '/')
  .map((t): Case => ({ name: `random target ${JSON.stringify(t)}`, parts: [get(t)], ...(throwsInUrl(t) ? { crashedBefore: URL_CRASH } : {}) }));

describe('wire fuzz: raw HTTP never gets a 5xx and never takes the server down', () => {
  let server: TestServer | undefined;
  const alive = () => server !== undefined && server.process.exitCode === null && server.process.signalCode === null;
  const healthy = async (s: TestServer) =>
    fetch(`${s.url}/health`, { signal: AbortSignal.timeout(3000) }).then((r) => r.status, (e: Error) => e.message);
  // The exit of a crashed server may not have been reported yet, so a failed health check counts as dead too.
  const ensureServer = async () => {
    if (server && alive() && (await healthy(server)) === 200) return server;
    if (server && alive()) await server.kill();
    server = await startTestServer();
    return server;
  };
  after(async () => {
    if (alive()) await server!.stop();
  });

  for (const c of [...fixedCases, ...randomTargets]) {
    it(c.name, async () => {
      const s = await ensureServer();
      const answer = await exchange(s.url, c);
      for (const r of answer.responses) assert.ok(r.status < 500, `answered ${r.status}:\n${r.head}`);
      if (!c.silent) assert.ok(answer.responses.length > 0 || (answer.closed && answer.rest === ''), `no answer and no clean close; got ${JSON.stringify(answer.rest.slice(0, 200))}`);
      const health = await healthy(s);
      assert.ok(alive() && health === 200, `server down after this case (health: ${health})${c.crashedBefore ? `; known: ${c.crashedBefore}` : ''}\n${s.output().slice(-1500)}`);
    });
  }

  it('keeps answering /health while 30 connections trickle partial headers', async () => {
    const s = await ensureServer();
    const slow = Array.from({ length: 30 }, () =>
      exchange(s.url, { name: 'slow', parts: ['GET /health HTTP/1.1\r\n', 'Host: x\r\n', 'X-A: 1\r\n', 'X-B: 2\r\n', 'X-C: 3'], gapMs: 400, silent: true }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const health = await fetch(`${s.url}/health`, { signal: AbortSignal.timeout(3000) });
    assert.equal(health.status, 200);
    assert.ok(Date.now() - started < 1000, `/health took ${Date.now() - started} ms beside slow clients`);
    for (const answer of await Promise.all(slow)) for (const r of answer.responses) assert.ok(r.status < 500, r.head);
    assert.ok(alive());
  });
});
