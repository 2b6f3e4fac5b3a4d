/** @module How one function is called, whatever carries the call: the AWS Lambda API, a local module, or HTTP. */

export type InvokeOutcome =
  /** The function ran and answered; `payload` is its parsed output (or raw text if not JSON). */
  | { kind: 'ok'; payload: unknown }
  /** The function ran and failed (Lambda's `X-Amz-Function-Error`, a thrown error). */
  | { kind: 'function-error'; message: string }
  /** The function could not be run (missing, denied, throttled, unreachable, timed out). */
  | { kind: 'invoke-error'; code: string; retryable: boolean };

export interface Invoker {
  invoke(functionArn: string, event: unknown, timeoutMs: number): Promise<InvokeOutcome>;
  close?(): Promise<void>;
}
