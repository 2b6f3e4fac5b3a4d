/** @module Spawns the real server as a child process, the way users run it, and tells tests where it listens. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { schemaDroppedAtExit } from './postgres.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface TestServer {
  url: string;
  db: string;
  process: ChildProcess;
  /** With `tls`: the PEM of the authority the server's certificate chains to (absent for given files). */
  ca?: string;
  /** Everything the server printed, for assertions on logs. */
  output(): string;
  client(): CognitoIdentityProviderClient;
  outbox(username?: string): Promise<OutboxEntry[]>;
  /** The code of the newest message sent to `username`. */
  latestCode(username: string): Promise<string>;
  advanceClock(seconds: number): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface OutboxEntry {
  id: number;
  poolId: string;
  username: string;
  medium: string;
  destination: string;
  from: string | null;
  subject: string;
  body: string;
  code: string | null;
  status: string;
  attempts: number;
  lastError: string | null;
  time: string;
}

export interface StartOptions {
  /** SQLite file or postgres:// URL; a fresh temporary file when absent. */
  db?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Start with --tls; the helper's own clients then trust the generated authority. */
  tls?: boolean;
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'userpool-test-')), 'userpool.db');
}

/**
 * Database for tests: a fresh SQLite file, or with USERPOOL_TEST_DB set that database; a
 * postgres:// URL gets a schema of its own per call (dropped when the test process ends), so the
 * e2e suite runs unchanged on PostgreSQL without tests seeing each other's data.
 */
export function testDb(): string {
  const configured = process.env.USERPOOL_TEST_DB;
  if (!configured) return tempDbPath();
  return /^postgres(ql)?:\/\//u.test(configured) ? schemaDroppedAtExit(configured) : configured;
}

/** The credentials test SDK clients sign with (AWS's documented example key, not a secret). */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** Environment for a production-profile server: a fresh master key, and admin keys matching the test clients. */
export function productionEnv(): Record<string, string> {
  return {
    USERPOOL_SECRET_KEY: randomBytes(32).toString('hex'),
    USERPOOL_ADMIN_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    USERPOOL_ADMIN_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  };
}

export function sdkClient(url: string, options: { ca?: string } = {}): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: url,
    ...(options.ca ? { requestHandler: { httpsAgent: new HttpsAgent({ ca: options.ca }) } } : {}),
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    // One attempt: tests assert on the first answer, not on the SDK's retries of throttling errors.
    maxAttempts: 1,
  });
}

export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const db = options.db ?? testDb();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--db', db, ...(options.tls ? ['--tls'] : []), ...(options.args ?? [])], {
    cwd: root,
    env: { ...process.env, USERPOOL_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"([^"]+)"[^\n]*"msg":"userpool listening"/u.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  const caPath = /"tlsCa":"([^"]+)"/u.exec(output)?.[1];
  const ca = caPath ? readFileSync(caPath, 'utf8') : undefined;
  let client: CognitoIdentityProviderClient | undefined;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const control = async (path: string, body?: unknown) => {
    if (url.startsWith('https:')) return httpsJson(url + path, body, ca);
    const res = await fetch(url + path, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const server: TestServer = {
    url,
    db,
    ...(ca ? { ca } : {}),
    process: child,
    output: () => output,
    client: () => (client ??= sdkClient(url, { ca })),
    outbox: async (username) => (await control(`/_userpool/outbox${username ? `?username=${encodeURIComponent(username)}` : ''}`)).messages as OutboxEntry[],
    latestCode: async (username) => {
      const messages = (await server.outbox(username)).filter((m) => m.code);
      const last = messages[messages.length - 1];
      if (!last?.code) throw new Error(`no code was sent to ${username}`);
      return last.code;
    },
    advanceClock: async (seconds) => void (await control('/_userpool/clock', { advanceSeconds: seconds })),
    reset: async () => void (await control('/_userpool/reset', {})),
    stop: async () => {
      client?.destroy();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      client?.destroy();
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  return server;
}

/** The control API over HTTPS: global fetch takes no CA of its own, node:https does. */
function httpsJson(url: string, body: unknown, ca: string | undefined): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: body === undefined ? 'GET' : 'POST', headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, ...(ca ? { ca } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve(JSON.parse(text) as Record<string, unknown>) : reject(new Error(`${url}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
