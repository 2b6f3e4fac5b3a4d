/**
 * @module The server's logger: JSON lines for machines, or pino-pretty's readable lines for a
 * person watching a terminal in the local profile. Pretty printing is loaded only when used, so
 * the JSON path starts no faster or slower than before.
 */
import pino, { type Logger } from 'pino';

export type LogFormat = 'auto' | 'json' | 'pretty';

export async function createLogger(options: { level: string; format: LogFormat; profile: 'local' | 'production' }): Promise<Logger> {
  const settings = { level: options.level, base: undefined };
  const pretty = options.format === 'pretty' || (options.format === 'auto' && options.profile === 'local' && process.stdout.isTTY === true);
  if (!pretty) return pino(settings);
  const { default: prettyStream } = await import('pino-pretty');
  // Synchronous, in this thread: a worker-thread transport would add its start-up to the server's.
  return pino(settings, prettyStream({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
