/** @module Trigger transports from configuration: each function ARN names how it is reached. */
import type { ServerConfig } from '../config/config.ts';
import type { Invoker } from './invoker.ts';
import { ModuleInvoker } from './module-invoker.ts';
import { TriggerRunner } from './runner.ts';

export function createTriggers(config: Pick<ServerConfig, 'functions'>): TriggerRunner {
  const invokers = new Map<string, Invoker>();
  for (const [arn, declared] of Object.entries(config.functions ?? {})) {
    if (declared.module) invokers.set(arn, new ModuleInvoker(declared.module));
  }
  return new TriggerRunner({ invokerFor: (arn) => invokers.get(arn) });
}
