/**
 * @module The package entry for users' own test suites: start a server inside the current process
 * on a free port and get its URL and a `close()`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { defaultConfig, finishConfig, type ServerConfig } from './config/config.ts';
import { startServer, type RunningServer } from './server.ts';

export type { ServerConfig, RunningServer };
export { startServer };

/**
 * Starts a local-profile server on 127.0.0.1 and a free port. Without `db`, the data lives in a
 * fresh SQLite file under the system's temporary directory. With `tls: true` the generated
 * certificate is kept for reuse in `userpool-tls-<uid>` there (or beside a given SQLite file), and
 * `tls.caPath` on the result names the authority to trust.
 */
export async function startLocalServer(overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const config = finishConfig({
    ...defaultConfig(),
    port: 0,
    logLevel: 'warn',
    db: join(tmpdir(), `userpool-${randomUUID()}.db`),
    // Not the bare temporary directory: the authority must stay the same from one test run to the next.
    ...(overrides.db === undefined ? { tlsDir: join(tmpdir(), `userpool-tls-${process.getuid?.() ?? 'user'}`) } : {}),
    ...overrides,
  });
  return startServer(config);
}
