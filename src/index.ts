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
 * fresh SQLite file under the system's temporary directory.
 */
export async function startLocalServer(overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const config = finishConfig({
    ...defaultConfig(),
    port: 0,
    logLevel: 'warn',
    db: join(tmpdir(), `userpool-${randomUUID()}.db`),
    ...overrides,
  });
  return startServer(config);
}
