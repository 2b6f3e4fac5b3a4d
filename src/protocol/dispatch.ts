/**
 * @module AWS JSON 1.1 dispatch: X-Amz-Target → validated input → operation handler → response or
 * error envelope. Knows nothing of users; only of operations, validation and the wire.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { isCognitoError } from '../domain/errors.ts';
import { errors } from '../domain/messages.ts';
import { operations, targetPrefix } from '../model/generated/operations.ts';
import { validateInput } from '../model/generated/validators.ts';
import type { CallContext, OperationHandler } from '../operations/context.ts';
import type { Clock } from '../util/clock.ts';
import { newRequestId } from '../util/ids.ts';
import { BodyTooLarge, readBody, sendError, sendJson } from './http-io.ts';
import { redactInput } from './redact.ts';
import type { SignatureVerifier } from './sigv4.ts';
import { statusFor } from './status-codes.ts';

export interface DispatchOptions {
  handlers: Readonly<Record<string, OperationHandler>>;
  clock: Clock;
  logger: Logger;
  bodyLimit: number;
  modelledStatusCodes: boolean;
  trustProxy: boolean;
  /** When set (production profile), IAM-authorised operations must carry a valid SigV4 signature. */
  verifier?: SignatureVerifier;
}

const PREFIX = `${targetPrefix}.`;

export function createDispatcher(options: DispatchOptions) {
  const { handlers, logger } = options;

  function fail(res: ServerResponse, requestId: string, type: string, message: string): void {
    sendError(res, statusFor(type, options.modelledStatusCodes), type, message, requestId);
  }

  /** `requestId` is the one the server already put on the response; a fresh one when called alone. */
  return async function dispatch(req: IncomingMessage, res: ServerResponse, requestId = newRequestId()): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(PREFIX) ? target.slice(PREFIX.length) : '';
    const handler = Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;

    let body: Buffer;
    try {
      body = await readBody(req, options.bodyLimit);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendError(res, 413, 'SerializationException', errors.payloadTooLarge().message, requestId);
      } else {
        req.destroy();
      }
      return;
    }

    if (!handler) {
      const known = Object.hasOwn(operations, operation);
      const message = known ? `Operation ${operation} is not supported by this server.` : errors.unknownOperation().message;
      fail(res, requestId, 'UnknownOperationException', message);
      return;
    }

    if (options.verifier && !operations[operation]?.noAuth) {
      try {
        await options.verifier.verify(req.method ?? 'POST', req.url ?? '/', req.headers, body, Date.now());
      } catch (error) {
        if (!isCognitoError(error)) throw error;
        // Authentication failures are 403 on AWS endpoints, whatever the status switch says.
        sendError(res, error.type === 'InvalidSignatureException' || error.type === 'UnrecognizedClientException' ? 400 : 403, error.type, error.message, requestId);
        return;
      }
    }

    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      fail(res, requestId, 'SerializationException', 'Request body is not valid JSON.');
      return;
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      fail(res, requestId, 'SerializationException', 'Request body must be a JSON object.');
      return;
    }
    const verdict = validateInput(operation, input);
    if (!verdict.ok) {
      fail(res, requestId, verdict.kind, verdict.message);
      return;
    }

    if (logger.isLevelEnabled('debug')) logger.debug({ requestId, operation, input: redactInput(operation, input as Record<string, unknown>) }, 'request');
    const ctx: CallContext = {
      requestId,
      operation,
      sourceIp: sourceIpOf(req, options.trustProxy),
      userAgent: String(req.headers['x-amz-user-agent'] ?? req.headers['user-agent'] ?? ''),
      now: options.clock.now(),
    };
    try {
      const output = await handler(input as Record<string, unknown>, ctx);
      sendJson(res, 200, JSON.stringify(output), { 'x-amzn-RequestId': requestId });
    } catch (error) {
      if (isCognitoError(error)) {
        logger.debug({ requestId, operation, error: error.type }, 'request refused');
        fail(res, requestId, error.type, error.message);
        return;
      }
      // The cause stays in our log with the request id; the caller only learns that it was our fault.
      logger.error({ requestId, operation, err: error }, 'internal error');
      const internal = errors.internal();
      fail(res, requestId, internal.type, internal.message);
    }
  };
}

function sourceIpOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}
