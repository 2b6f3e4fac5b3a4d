/**
 * @module The API fuzz run the test and scripts/fuzz.ts share: requests generated in seeded
 * chunks, sent over keep-alive HTTP, the property every answer must satisfy, and the report.
 */
import { readFileSync } from 'node:fs';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import fc from 'fast-check';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { implementedOperations } from '../../src/operations/index.ts';
import { requestArb } from './arbitraries.ts';
import { renderBody, type FuzzRequest } from './doc.ts';
import { Fixtures } from './fixtures.ts';

export const MAX_HEADER_BYTES = 8 * 1024;

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  /** Status line, header lines and the blank line, as they came over the wire. */
  headerBytes: number;
  body: string;
  error?: string;
}

/**
 * The server may cut a connection while a body it refused (413) is still being written; that
 * write error can surface on the pooled socket after the request has settled, with nobody left
 * listening, and would end this process. One listener per socket keeps it an ordinary outcome.
 */
const guarded = new WeakSet<Socket>();
function guard(socket: Socket): void {
  if (guarded.has(socket)) return;
  guarded.add(socket);
  socket.on('error', () => {});
}

export function post(agent: Agent, url: URL, req: FuzzRequest, body: Buffer, timeoutMs = 30_000): Promise<Exchange> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { 'X-Amz-Target': req.target, 'Content-Length': body.length };
    if (req.contentType !== undefined) headers['Content-Type'] = req.contentType;
    const done = (x: Exchange) => resolve(x);
    // A generous parser limit so an oversized answer is measured and reported, not lost as a parse error.
    const r = request({ agent, host: url.hostname, port: url.port, method: 'POST', path: '/', headers, maxHeaderSize: 16 << 20, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let headerBytes = `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage}\r\n\r\n`.length;
        for (let i = 0; i < res.rawHeaders.length; i += 2) headerBytes += Buffer.byteLength(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`, 'latin1');
        done({ status: res.statusCode ?? 0, headers: res.headers, headerBytes, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (e) => done({ status: 0, headers: {}, headerBytes: 0, body: '', error: `response: ${e.message}` }));
    });
    r.on('socket', guard);
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', (e) => done({ status: 0, headers: {}, headerBytes: 0, body: '', error: (e as NodeJS.ErrnoException).code ?? e.message }));
    r.end(body);
  });
}

/** The property: a well-formed AWS JSON 1.1 answer, 200 or a 4xx error envelope, with bounded headers. */
export function problemsWith(x: Exchange): string[] {
  if (x.error !== undefined) return [`no answer: ${x.error}`];
  const problems: string[] = [];
  if (x.status >= 500) problems.push(`status ${x.status}`);
  else if (x.status !== 200 && (x.status < 400 || x.status > 499)) problems.push(`status ${x.status} is neither 200 nor 4xx`);
  if (x.headerBytes > MAX_HEADER_BYTES) problems.push(`response headers are ${x.headerBytes} bytes (limit ${MAX_HEADER_BYTES})`);
  if (!x.headers['x-amzn-requestid']) problems.push('no x-amzn-RequestId header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(x.body);
  } catch {
    problems.push('body is not JSON');
    return problems;
  }
  const envelope = parsed as { __type?: unknown; message?: unknown };
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) problems.push('body is not a JSON object');
  else if (x.status !== 200) {
    if (typeof envelope.__type !== 'string' || typeof envelope.message !== 'string') problems.push('error body lacks string __type and message');
    else if (x.headers['x-amzn-errortype'] !== `${envelope.__type}:`) problems.push(`x-amzn-ErrorType is ${JSON.stringify(x.headers['x-amzn-errortype'])}, not "${envelope.__type}:"`);
  }
  return problems;
}

export interface Finding {
  index: number;
  operation: string;
  problems: string[];
  request: string;
  response: string;
  requestId: string | undefined;
}

export interface RunOptions {
  url: string;
  sdk: CognitoIdentityProviderClient;
  seed: number;
  runs: number;
  concurrency?: number;
  /** Replays the one request with this index (and the chunk's fixtures refresh) instead of the whole run. */
  only?: number;
  /** False once the server process is gone: the run stops instead of collecting refused connections. */
  alive?: () => boolean;
  progress?: (sent: number, findings: number) => void;
}

export interface RunResult {
  sent: number;
  ms: number;
  findings: Finding[];
  /** Status codes seen per operation, to show how far requests got. */
  statuses: Record<string, Record<string, number>>;
  aborted?: string;
}

export const operationsUnderTest: readonly string[] = implementedOperations;
/** Rows per chunk; a chunk is one seeded `fc.sample` of a tuple holding one request per operation. */
const ROWS = 8;

function chunkSeed(seed: number, chunk: number): number {
  return (seed ^ Math.imul(chunk + 1, 0x9e3779b1)) | 0;
}

export function chunkRequests(seed: number, chunk: number): FuzzRequest[] {
  const tuple = fc.tuple(...operationsUnderTest.map(requestArb));
  return fc.sample(tuple, { seed: chunkSeed(seed, chunk), numRuns: ROWS }).flat();
}

/** Head and tail: a nesting bomb or an oversized value shows its end as well as where it starts. */
export function truncate(text: string, max = 600): string {
  if (text.length <= max) return text;
  const tail = Math.floor(max / 4);
  return `${text.slice(0, max - tail)} …(${text.length} chars in all)… ${text.slice(-tail)}`;
}

export async function runApiFuzz(options: RunOptions): Promise<RunResult> {
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 8 });
  const fixtures = new Fixtures(options.sdk, options.url);
  const perChunk = ROWS * operationsUnderTest.length;
  const result: RunResult = { sent: 0, ms: 0, findings: [], statuses: {} };
  const started = Date.now();
  const first = options.only === undefined ? 0 : Math.floor(options.only / perChunk);
  const last = options.only === undefined ? Math.ceil(options.runs / perChunk) - 1 : first;
  try {
    for (let chunk = first; chunk <= last && !result.aborted; chunk++) {
      try {
        await fixtures.refresh();
      } catch (error) {
        if (!options.alive || options.alive()) throw error;
        result.aborted = `server process exited before chunk ${chunk}: ${(error as Error).message}`;
        break;
      }
      const requests = chunkRequests(options.seed, chunk);
      const indices = requests.map((_, k) => chunk * perChunk + k).filter((i) => (options.only === undefined ? i < options.runs : i === options.only));
      let next = 0;
      const worker = async () => {
        while (next < indices.length && !result.aborted) {
          const index = indices[next++]!;
          const req = requests[index - chunk * perChunk]!;
          const body = renderBody(req.body, fixtures.resolverFor(req), req.slot);
          const x = await post(agent, url, req, body);
          result.sent++;
          const counts = (result.statuses[req.operation] ??= {});
          const outcome = x.status === 200 ? '200' : `${x.status || 'none'} ${/"__type":"(\w+)"/u.exec(x.body)?.[1] ?? ''}`.trim();
          counts[outcome] = (counts[outcome] ?? 0) + 1;
          const problems = problemsWith(x);
          if (problems.length > 0) {
            result.findings.push({
              index,
              operation: req.operation,
              problems,
              request: `target=${JSON.stringify(req.target)} content-type=${JSON.stringify(req.contentType)} body=${truncate(body.toString('utf8'))}`,
              response: `${x.status} ${JSON.stringify(x.headers['x-amzn-errortype'] ?? '')} ${truncate(x.body, 400)}`,
              requestId: x.headers['x-amzn-requestid'] as string | undefined,
            });
          }
          if (options.alive && !options.alive()) result.aborted = `server process exited after request #${index} (${req.operation})`;
        }
      };
      await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
      options.progress?.(result.sent, result.findings.length);
    }
  } finally {
    agent.destroy();
    result.ms = Date.now() - started;
  }
  return result;
}

/** Findings grouped by operation, problem and logged cause, most frequent first, with an example index for replay. */
export function summarize(findings: readonly Finding[], output = ''): { key: string; count: number; example: Finding }[] {
  const groups = new Map<string, { key: string; count: number; example: Finding }>();
  for (const f of findings) {
    const type = /"__type":"(\w+)"/u.exec(f.response)?.[1] ?? '';
    const cause = serverErrorFor(output, f.requestId)?.split('\n').slice(0, 2).join(' ').replace(/\s+/gu, ' ').replace(/:\d+:\d+\)/gu, ')') ?? '';
    const key = `${f.operation}: ${f.problems.map((p) => p.replace(/\d+ bytes/u, 'N bytes')).join('; ')} ${type} ${cause}`.trim();
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { key, count: 1, example: f });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** The server's own account of an internal error: pino's `err` for the request id, first stack frames only. */
export function serverErrorFor(output: string, requestId: string | undefined): string | undefined {
  if (!requestId) return undefined;
  for (const line of output.split('\n')) {
    if (!line.includes(requestId) || !line.includes('"err"')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string; stack?: string } };
      const stack = (entry.err?.stack ?? '').split('\n').slice(0, 6).join('\n    ');
      return `${entry.msg}: ${stack || `${entry.err?.type}: ${entry.err?.message}`}`;
    } catch {
      return line.slice(0, 800);
    }
  }
  return undefined;
}

/** The server logs asynchronously: waits (briefly) until every 5xx finding's request id has reached its output. */
export async function logsSettled(output: () => string, findings: readonly Finding[], timeoutMs = 3000): Promise<void> {
  const ids = findings.filter((f) => /^5\d\d /u.test(f.response) && f.requestId).map((f) => f.requestId!);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !ids.every((id) => output().includes(id))) await new Promise((r) => setTimeout(r, 50));
}

/** Resident set size of a Linux process, in bytes; undefined elsewhere. */
export function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+) kB/u.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Per operation, how the answers were spread over outcomes (200 or status and error type), most frequent first. */
export function outcomes(result: RunResult): string {
  return Object.entries(result.statuses)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([op, counts]) => `  ${op}: ${Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(', ')}`)
    .join('\n');
}

export function report(result: RunResult, seed: number, output: string, replay: (index: number) => string): string {
  const lines = [`${result.sent} requests in ${(result.ms / 1000).toFixed(1)} s, ${result.findings.length} violating the property${result.aborted ? `; ABORTED: ${result.aborted}` : ''}`];
  for (const g of summarize(result.findings, output)) {
    const f = g.example;
    lines.push(
      `\n[${g.count}×] ${g.key}`,
      `  replay: ${replay(f.index)}  (seed ${seed}, request #${f.index})`,
      `  request:  ${f.request}`,
      `  response: ${f.response}`,
    );
    const cause = serverErrorFor(output, f.requestId);
    if (cause) lines.push(`  server log: ${cause}`);
  }
  return lines.join('\n');
}
