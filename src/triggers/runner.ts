/**
 * @module Runs a pool's trigger with Cognito's rules (spec §6.1, §6.5): a 5-second limit per call,
 * up to three attempts for failures to invoke, and the error mapping every trigger shares.
 */
import { errors } from '../domain/messages.ts';
import type { PoolRecord } from '../domain/records.ts';
import type { InvokeOutcome, Invoker } from './invoker.ts';
import type { TriggerEvent, TriggerName, Triggers } from './triggers.ts';

export interface RunnerOptions {
  /** Picks the transport for a function ARN; undefined when none is configured for it. */
  invokerFor: (functionArn: string) => Invoker | undefined;
  timeoutMs?: number;
  attempts?: number;
  /** Releases the transports' connections at shutdown. */
  close?: () => Promise<void>;
  postConfirmationOnAutoConfirm?: boolean;
  /** Told of every trigger run: trigger, outcome (`ok`, `function-error`, `invoke-error`), seconds with retries. */
  observe?: (trigger: string, outcome: InvokeOutcome['kind'], seconds: number) => void;
}

export class TriggerRunner implements Triggers {
  readonly #options: Required<Pick<RunnerOptions, 'timeoutMs' | 'attempts'>> & RunnerOptions;

  readonly postConfirmationOnAutoConfirm: boolean;

  constructor(options: RunnerOptions) {
    this.#options = { timeoutMs: 5000, attempts: 3, ...options };
    this.postConfirmationOnAutoConfirm = options.postConfirmationOnAutoConfirm === true;
  }

  async close(): Promise<void> {
    await this.#options.close?.();
  }

  async run(pool: PoolRecord, trigger: TriggerName, event: TriggerEvent): Promise<Record<string, unknown> | undefined> {
    const arn = (pool.settings.LambdaConfig as Record<string, unknown> | undefined)?.[trigger];
    if (typeof arn !== 'string') return undefined;
    const invoker = this.#options.invokerFor(arn);
    if (!invoker) throw errors.lambdaUnexpected(trigger, 'ResourceNotFoundException');

    let outcome: InvokeOutcome = { kind: 'invoke-error', code: 'Unknown', retryable: false };
    const started = performance.now();
    for (let attempt = 1; attempt <= this.#options.attempts; attempt++) {
      outcome = await invoker.invoke(arn, event, this.#options.timeoutMs);
      if (outcome.kind !== 'invoke-error' || !outcome.retryable) break;
    }
    this.#options.observe?.(trigger, outcome.kind, (performance.now() - started) / 1000);
    if (outcome.kind === 'function-error') throw errors.lambdaValidation(trigger, outcome.message);
    if (outcome.kind === 'invoke-error') throw errors.lambdaUnexpected(trigger, outcome.code);
    return responseOf(outcome.payload);
  }
}

/** Cognito wants the whole event back with `response` filled in; anything else is unusable output. */
function responseOf(payload: unknown): Record<string, unknown> {
  if (typeof payload === 'string') throw errors.lambdaInvalidJson();
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw errors.lambdaUnrecognizable();
  const response = (payload as { response?: unknown }).response;
  if (response === undefined || response === null) return {};
  if (typeof response !== 'object' || Array.isArray(response)) throw errors.lambdaUnrecognizable();
  return response as Record<string, unknown>;
}
