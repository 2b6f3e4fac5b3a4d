/** @module Trigger transports from configuration: each function ARN names how it is reached. */
import { ConfigError, type FunctionDeclaration, type ServerConfig } from '../config/config.ts';
import { regionOfArn } from '../delivery/aws-client-options.ts';
import { signingKey } from '../delivery/webhook-signature.ts';
import { HttpInvoker } from './http-invoker.ts';
import type { Invoker } from './invoker.ts';
import { LambdaInvoker } from './lambda-invoker.ts';
import { ModuleInvoker } from './module-invoker.ts';
import { TriggerRunner, type RunnerOptions } from './runner.ts';

export function createTriggers(
  config: Pick<ServerConfig, 'functions' | 'region'> & Partial<Pick<ServerConfig, 'profile' | 'postConfirmationOnAutoConfirm'>>,
  observe?: RunnerOptions['observe'],
): TriggerRunner {
  const invokers = new Map<string, Invoker>();
  for (const [arn, declared] of Object.entries(config.functions ?? {})) {
    invokers.set(arn, invokerFor(arn, declared ?? {}, config));
  }
  return new TriggerRunner({
    invokerFor: (arn) => invokers.get(arn),
    close: async () => {
      for (const invoker of invokers.values()) await invoker.close?.();
    },
    postConfirmationOnAutoConfirm: config.postConfirmationOnAutoConfirm === true,
    observe,
  });
}

function invokerFor(arn: string, declared: FunctionDeclaration, config: Pick<ServerConfig, 'region'> & Partial<Pick<ServerConfig, 'profile'>>): Invoker {
  const where = `functions["${arn}"]`;
  const kinds = (['module', 'url', 'lambda'] as const).filter((kind) => declared[kind] !== undefined);
  if (kinds.length !== 1) throw new ConfigError(`${where} needs exactly one of module, url or lambda`);
  if (declared.module !== undefined) {
    if (typeof declared.module !== 'string' || !declared.module) throw new ConfigError(`${where}.module must be a file path`);
    return new ModuleInvoker(declared.module);
  }
  if (declared.url !== undefined) {
    if (typeof declared.url !== 'string' || !/^https?:\/\//u.test(declared.url)) throw new ConfigError(`${where}.url must be an http:// or https:// URL`);
    // Without a key anyone who can reach the receiver could pose as this server; production insists.
    if (!declared.secret && config.profile === 'production') throw new ConfigError(`${where} needs a secret to sign its calls in the production profile`);
    return new HttpInvoker(declared.url, declared.secret ? signingKey(declared.secret) : undefined);
  }
  const lambda = declared.lambda ?? {};
  if (lambda.endpoint !== undefined && !/^https?:\/\//u.test(lambda.endpoint)) throw new ConfigError(`${where}.lambda.endpoint must be an http:// or https:// URL`);
  return new LambdaInvoker({ endpoint: lambda.endpoint, region: lambda.region ?? regionOfArn(arn) ?? config.region });
}
