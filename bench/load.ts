/**
 * @module The load generator: AWS JSON 1.1 requests, headers as the AWS SDK for JavaScript v3 sends
 * them, from a fixed number of concurrent callers over keep-alive connections: undici's pool by
 * default, node:http agents on request. Bodies are built before the clock starts, and each run is
 * bounded in requests and in time. Exchanges of several requests (SRP sign-in) run the same way
 * through `runFlows`.
 */
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const AMZ_JSON = 'application/x-amz-json-1.1';
const SDK_AGENT = 'aws-sdk-js/3.1169.0';
const USER_AGENT = `${SDK_AGENT} ua/2.1 os/${process.platform} lang/js md/nodejs#${process.versions.node} api/cognito-identity-provider#3.1169.0 m/N,E`;

/**
 * `undici` spends about a third of node:http's CPU per request, so on two cores it leaves the
 * server more room and the bare server's ceiling is no longer set by the load generator; `http`
 * is what the figures before December 2026 were measured with.
 */
export type Generator = 'undici' | 'http';
export const GENERATORS: readonly Generator[] = ['undici', 'http'];

export interface Target {
  url: string;
  host: string;
  port: number;
  agent: Agent;
  /** Present when the undici generator is used; requests then go through it instead of `agent`. */
  pool?: Pool;
}

/** One keep-alive agent (or undici pool) per server, with a connection for every caller that may use it. */
export function targetsFor(urls: readonly string[], concurrency: number, generator: Generator = 'undici'): Target[] {
  const perTarget = Math.ceil(concurrency / urls.length);
  return urls.map((url) => {
    const parsed = new URL(url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) throw new Error(`refusing to load a non-loopback address: ${url}`);
    return {
      url,
      host: parsed.hostname.replace(/^\[|\]$/gu, ''),
      port: Number(parsed.port),
      agent: new Agent({ keepAlive: true, maxSockets: perTarget, maxFreeSockets: perTarget }),
      ...(generator === 'undici' ? { pool: new Pool(parsed.origin, { connections: perTarget, pipelining: 1 }) } : {}),
    };
  });
}

export function closeTargets(targets: readonly Target[]): void {
  for (const target of targets) {
    target.agent.destroy();
    void target.pool?.destroy();
  }
}

export interface Reply {
  status: number;
  body: string;
}

/** One request; a transport failure becomes status 0 so the caller counts it instead of crashing. */
export function post(target: Target, operation: string, body: Buffer, timeoutMs: number): Promise<Reply> {
  const headers = {
    'content-type': AMZ_JSON,
    'x-amz-target': TARGET_PREFIX + operation,
    'content-length': String(body.length),
    'x-amz-user-agent': SDK_AGENT,
    'user-agent': USER_AGENT,
    'amz-sdk-invocation-id': randomUUID(),
    'amz-sdk-request': 'attempt=1; max=3',
  };
  if (target.pool) return postUndici(target.pool, headers, body, timeoutMs);
  return new Promise((resolve) => {
    const req = request(
      { agent: target.agent, host: target.host, port: target.port, method: 'POST', path: '/', timeout: timeoutMs, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => resolve({ status: 0, body: String(error) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ status: 0, body: `${error.name}: ${error.message}` }));
    req.end(body);
  });
}

async function postUndici(pool: Pool, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<Reply> {
  try {
    const res = await pool.request({ method: 'POST', path: '/', headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    return { status: res.statusCode, body: await res.body.text() };
  } catch (error) {
    return { status: 0, body: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

export interface LoadSpec {
  operation: string;
  targets: readonly Target[];
  bodies: readonly Buffer[];
  concurrency: number;
  /** Stop issuing new requests after this long; the run is then reported as truncated. */
  maxSeconds: number;
  timeoutMs: number;
  /** Called for each answer, e.g. to keep the SignUp results. */
  onReply?: (index: number, reply: Reply) => void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError?: { status: number; body: string };
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  truncated: boolean;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: LoadResult['firstError'];
  let truncated = false;
  const started = performance.now();
  const deadline = started + spec.maxSeconds * 1000;

  // Caller i always talks to the same server, so the load spreads evenly over the instances.
  const caller = async (i: number) => {
    const target = spec.targets[i % spec.targets.length]!;
    for (;;) {
      const index = next++;
      if (index >= spec.bodies.length) return;
      if (performance.now() > deadline) {
        truncated = true;
        next = spec.bodies.length;
        return;
      }
      const sent = performance.now();
      const reply = await post(target, spec.operation, spec.bodies[index]!, spec.timeoutMs);
      latencies.push(performance.now() - sent);
      if (reply.status !== 200) {
        errors += 1;
        firstError ??= reply;
      }
      spec.onReply?.(index, reply);
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.bodies.length) }, (_, i) => caller(i)));
  return summarise(latencies, errors, firstError, (performance.now() - started) / 1000, truncated);
}

function summarise(latencies: number[], errors: number, firstError: LoadResult['firstError'], seconds: number, truncated: boolean): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    errors,
    ...(firstError ? { firstError } : {}),
    seconds,
    rps: sorted.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : 0,
    truncated,
  };
}

/** An exchange of several requests, such as SRP's two round trips with the client's work between them. */
export interface FlowSpec {
  targets: readonly Target[];
  count: number;
  concurrency: number;
  maxSeconds: number;
  /** Resolves with the milliseconds of each step, and the reply that failed the exchange if one did. */
  flow: (index: number, target: Target) => Promise<FlowOutcome>;
}

export interface FlowOutcome {
  steps: number[];
  failure?: Reply;
}

/** `requests` counts whole exchanges and their latency runs from the first request to the last answer. */
export interface FlowResult extends LoadResult {
  stepP50Ms: number[];
  stepP99Ms: number[];
}

export async function runFlows(spec: FlowSpec): Promise<FlowResult> {
  const latencies: number[] = [];
  const steps: number[][] = [];
  let next = 0;
  let errors = 0;
  let firstError: LoadResult['firstError'];
  let truncated = false;
  const started = performance.now();
  const deadline = started + spec.maxSeconds * 1000;
  const caller = async (i: number) => {
    const target = spec.targets[i % spec.targets.length]!;
    for (;;) {
      const index = next++;
      if (index >= spec.count) return;
      if (performance.now() > deadline) {
        truncated = true;
        next = spec.count;
        return;
      }
      const sent = performance.now();
      const outcome = await spec.flow(index, target);
      latencies.push(performance.now() - sent);
      outcome.steps.forEach((ms, step) => (steps[step] ??= []).push(ms));
      if (outcome.failure) {
        errors += 1;
        firstError ??= outcome.failure;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.count) }, (_, i) => caller(i)));
  const result = summarise(latencies, errors, firstError, (performance.now() - started) / 1000, truncated);
  const sortedSteps = steps.map((ms) => Float64Array.from(ms).sort());
  return { ...result, stepP50Ms: sortedSteps.map((s) => percentile(s, 0.5)), stepP99Ms: sortedSteps.map((s) => percentile(s, 0.99)) };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}
