/**
 * @module What the server makes for the console's outbox part when the console is on: the trigger
 * log, fed by the trigger runner, and the live view's hub, which the server closes before draining.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import type { TriggerRunner } from '../triggers/runner.ts';
import { LiveHub } from './live-hub.ts';
import { TriggerLog } from './trigger-log.ts';

export function outboxConsoleServices(store: Store, triggers: Pick<TriggerRunner, 'watch'>, logger: Logger): { triggerLog: TriggerLog; live: LiveHub } {
  const triggerLog = new TriggerLog();
  triggers.watch(triggerLog.record);
  return { triggerLog, live: new LiveHub(store, { logger }) };
}
