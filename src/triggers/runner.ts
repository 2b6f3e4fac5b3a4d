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

/**
 * One run of a function as the admin console's trigger log keeps it: metadata only, never the
 * event or the answer, which carry attributes and codes.
 */
export interface TriggerInvocation {
  /** Wall-clock milliseconds when the run began. */
  at: number;
  poolId: string;
  trigger: TriggerName;
  /** The event's `triggerSource`, e.g. `PreSignUp_SignUp`. */
  source: string;
  functionArn: string;
  /** With retries of failures to invoke. */
  ms: number;
  attempts: number;
  /** `unusable-response`: the function answered, but not with an event Cognito would take. */
  outcome: InvokeOutcome['kind'] | 'unusable-response';
  /** The function's error message, the failure to invoke, or why the answer was refused. */
  error?: string;
}

export type InvocationListener = (invocation: TriggerInvocation) => void;

export class TriggerRunner implements Triggers {
  readonly #options: Required<Pick<RunnerOptions, 'timeoutMs' | 'attempts'>> & RunnerOptions;
  #listeners: readonly InvocationListener[] = [];

  readonly postConfirmationOnAutoConfirm: boolean;

  constructor(options: RunnerOptions) {
    this.#options = { timeoutMs: 5000, attempts: 3, ...options };
    this.postConfirmationOnAutoConfirm = options.postConfirmationOnAutoConfirm === true;
  }

  async close(): Promise<void> {
    await this.#options.close?.();
  }

  /** Adds a listener told of every run after it ends (the console's trigger log); it must be cheap and synchronous. */
  watch(listener: InvocationListener): void {
    this.#listeners = [...this.#listeners, listener];
  }

  async run(pool: PoolRecord, trigger: TriggerName, event: TriggerEvent): Promise<Record<string, unknown> | undefined> {
    const arn = (pool.settings.LambdaConfig as Record<string, unknown> | undefined)?.[trigger];
    if (typeof arn !== 'string') return undefined;
    const at = Date.now();
    const tell = (outcome: TriggerInvocation['outcome'], ms: number, attempts: number, error?: string) =>
      this.#tell({ at, poolId: pool.id, trigger, source: event.triggerSource, functionArn: arn, ms, attempts, outcome, ...(error === undefined ? {} : { error }) });
    const invoker = this.#options.invokerFor(arn);
    if (!invoker) {
      tell('invoke-error', 0, 0, 'ResourceNotFoundException');
      throw errors.lambdaUnexpected(trigger, 'ResourceNotFoundException');
    }

    let outcome: InvokeOutcome = { kind: 'invoke-error', code: 'Unknown', retryable: false };
    const started = performance.now();
    let attempts = 0;
    for (let attempt = 1; attempt <= this.#options.attempts; attempt++) {
      attempts = attempt;
      outcome = await invoker.invoke(arn, event, this.#options.timeoutMs);
      if (outcome.kind !== 'invoke-error' || !outcome.retryable) break;
    }
    const ms = performance.now() - started;
    this.#options.observe?.(trigger, outcome.kind, ms / 1000);
    if (outcome.kind === 'function-error') {
      tell('function-error', ms, attempts, outcome.message);
      throw errors.lambdaValidation(trigger, outcome.message);
    }
    if (outcome.kind === 'invoke-error') {
      tell('invoke-error', ms, attempts, outcome.code);
      throw errors.lambdaUnexpected(trigger, outcome.code);
    }
    try {
      const response = responseOf(outcome.payload);
      tell('ok', ms, attempts);
      return response;
    } catch (error) {
      tell('unusable-response', ms, attempts, (error as Error).message);
      throw error;
    }
  }

  /** A listener's failure is its own: it must never change what the trigger's caller sees. */
  #tell(invocation: TriggerInvocation): void {
    for (const listener of this.#listeners) {
      try {
        listener(invocation);
      } catch {
        // The log is best effort; the sign-up it describes goes on.
      }
    }
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
