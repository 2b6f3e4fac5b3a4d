/**
 * @module Runs a trigger by POSTing the event as signed JSON to a URL (docs/triggers.md). A 2xx
 * answer carries the returned event; a non-2xx answer with `{"errorMessage": …}` is the function
 * failing; anything else is a failure to invoke.
 */
import { webhookHeaders } from '../delivery/webhook-signature.ts';
import { errorMessageOf, parseOutput, transportFailure } from './failures.ts';
import type { InvokeOutcome, Invoker } from './invoker.ts';

export class HttpInvoker implements Invoker {
  constructor(
    readonly url: string,
    readonly key: Buffer | undefined,
  ) {}

  async invoke(functionArn: string, event: unknown, timeoutMs: number): Promise<InvokeOutcome> {
    const body = JSON.stringify(event);
    const signal = AbortSignal.timeout(timeoutMs);
    let status: number;
    let text: string;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'userpool-trigger/1',
          'X-Userpool-Function-Arn': functionArn,
          ...webhookHeaders(body, this.key),
        },
        body,
        signal,
        // A redirect would resend the event somewhere the operator did not name.
        redirect: 'error',
      });
      status = res.status;
      text = await res.text();
    } catch (error) {
      return transportFailure(signal.aborted ? signal.reason : error);
    }
    if (status >= 200 && status < 300) return { kind: 'ok', payload: parseOutput(text) };
    const message = errorMessageOf(text);
    if (message !== undefined) return { kind: 'function-error', message };
    return { kind: 'invoke-error', code: `HTTP ${status}`, retryable: status === 429 || status >= 500 };
  }
}
