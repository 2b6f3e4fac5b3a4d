/** @module Failures to reach a function, named the way Cognito names them in its error messages (spec §6.5). */
import type { InvokeOutcome } from './invoker.ts';

/** Cognito's wording when a function does not answer in time (I-204). */
export const SOCKET_TIMEOUT = 'Socket timeout while invoking Lambda function';

/**
 * A transport failure: a timeout, or a connection that could not be made or broke. All are worth
 * another attempt (spec §6.1: Cognito tries three times before it gives up).
 */
export function transportFailure(error: unknown): InvokeOutcome {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string } } | undefined;
  const name = e?.name ?? '';
  const code = e?.code ?? e?.cause?.code ?? '';
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { kind: 'invoke-error', code: SOCKET_TIMEOUT, retryable: true };
  }
  return { kind: 'invoke-error', code: code || name || 'Unknown', retryable: true };
}

/** Function output as sent: JSON when it parses, otherwise the raw text (which the runner rejects as Invalid JSON). */
export function parseOutput(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Lambda's error document `{"errorMessage", "errorType", …}`; its message is what Cognito quotes. */
export function errorMessageOf(text: string): string | undefined {
  const parsed = parseOutput(text);
  if (parsed && typeof parsed === 'object' && typeof (parsed as { errorMessage?: unknown }).errorMessage === 'string') {
    return (parsed as { errorMessage: string }).errorMessage;
  }
  return undefined;
}
