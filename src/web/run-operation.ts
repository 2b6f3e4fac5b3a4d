/**
 * @module How the server's own pages (the hosted pages, the admin console) call an API operation:
 * exactly as the wire would, the model's validation first (same limits, same messages), then the
 * operation's own handler, so no page carries a second implementation of any rule.
 */
import { CognitoError } from '../domain/errors.ts';
import { validateInput } from '../model/generated/validators.ts';
import type { CallContext, OperationHandler } from '../operations/context.ts';

export function runOperation(handler: OperationHandler, input: Record<string, unknown>, ctx: CallContext): Promise<Record<string, unknown>> {
  const verdict = validateInput(ctx.operation, input);
  if (!verdict.ok) return Promise.reject(new CognitoError(verdict.kind, verdict.message));
  return handler(input, ctx);
}
