/**
 * @module How every console page reads and acts: through the API's own operation handler, after
 * the model's validation, exactly as a signed admin call on the wire (issue 14: never a second
 * implementation). Each action (anything but a read) leaves one line in the server's log naming
 * who did it; the line holds names and the outcome only, never an input's passwords, codes or
 * secrets.
 */
import { isCognitoError } from '../../domain/errors.ts';
import type { CallContext } from '../../operations/context.ts';
import { runOperation } from '../../web/run-operation.ts';
import type { ConsoleServices } from '../console-services.ts';
import type { ConsoleRequest } from '../console-types.ts';

/** Reads change nothing, so they are not actions for the log (they still count against quotas, as on the wire). */
const READ = /^(?:Admin)?(?:Get|List|Describe)/u;

export function isReadOperation(operation: string): boolean {
  return READ.test(operation);
}

export async function runAdminOperation(
  c: ConsoleServices,
  at: Pick<ConsoleRequest, 'actor' | 'requestId' | 'sourceIp'>,
  operation: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const handler = c.handlers[operation];
  if (!handler) throw new Error(`the console called ${operation}, which is no operation of this server`);
  const ctx: CallContext = { requestId: at.requestId, operation, sourceIp: at.sourceIp, userAgent: 'userpool-console', now: c.s.clock.now() };
  const entry = {
    requestId: at.requestId,
    actor: at.actor,
    operation,
    ...(typeof input.UserPoolId === 'string' ? { poolId: input.UserPoolId } : {}),
    ...(typeof input.Username === 'string' ? { username: input.Username } : {}),
  };
  const read = isReadOperation(operation);
  try {
    const output = await runOperation(handler, input, ctx);
    if (!read) c.logger.info({ ...entry, outcome: 'ok' }, 'console action');
    return output;
  } catch (error) {
    // A refusal is the API's own answer and the page shows it; anything else is our fault and propagates.
    if (!read) c.logger.info({ ...entry, outcome: isCognitoError(error) ? error.type : 'error' }, 'console action');
    throw error;
  }
}

/** An operation's refusal as `{ type, message }` for the page's alert; anything else rethrown. */
export function refusal(error: unknown): { type: string; message: string } {
  if (isCognitoError(error)) return { type: error.type, message: error.message };
  throw error;
}
