/**
 * @module What the console's pages are given (docs/console.md): the operations' services, the
 * server's logger for the action log, the API's own operation handlers (every action runs through
 * one of them), the request limits this server applies, for the pool page to show, and the trigger
 * log and live-view hub of the outbox part.
 */
import type { Logger } from 'pino';
import type { LockoutPolicy } from '../domain/lockout.ts';
import type { PoolRules } from '../limits/request-gate.ts';
import type { OperationHandler } from '../operations/context.ts';
import type { Services } from '../operations/services.ts';
import type { LiveHub } from './live-hub.ts';
import type { TriggerLog } from './trigger-log.ts';

export interface ConsoleLimits {
  /** Requests per second per quota category; undefined when quotas are off (the local profile's default). */
  quotas?: Readonly<Record<string, number>>;
  /** Requests per second per caller address on the public operations; undefined or 0 when off. */
  perAddressRps?: number;
  lockout: LockoutPolicy;
  /** The configured request rules (allow / block by address and operation), by pool id. */
  requestRules: Readonly<Record<string, PoolRules>>;
}

export interface ConsoleServices {
  s: Services;
  logger: Logger;
  /** `buildHandlers(s)`: the same handlers the API dispatcher calls. */
  handlers: Readonly<Record<string, OperationHandler>>;
  limits: ConsoleLimits;
  /** The trigger runner's recent invocations on this instance (OUTBOX: /triggers); the page says so when absent. */
  triggerLog?: TriggerLog;
  /** The live view's event streams (OUTBOX: /events); the server closes it before draining. One is made on demand when absent. */
  live?: LiveHub;
}
