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
import type { AddressOf } from './client-address.ts';
import { parseRequestJson } from './request-json.ts';
import type { SignatureVerifier } from './sigv4.ts';
import { statusFor } from './status-codes.ts';

export interface DispatchOptions {
  handlers: Readonly<Record<string, OperationHandler>>;
  clock: Clock;
  logger: Logger;
  bodyLimit: number;
  modelledStatusCodes: boolean;
  /** The caller's address, after the trusted proxies in front of the server. */
  addressOf: AddressOf;
  /** When set (production profile), IAM-authorised operations must carry a valid SigV4 signature. */
  verifier?: SignatureVerifier;
  /**
   * Undefined, or a promise to wait on before answering a call that succeeded: the store's writes
   * that a read may have seen are not all on disk yet.
   */
  settled?: () => Promise<void> | undefined;
  /** Told of every answered call: operation (`unknown` for names we do not serve), outcome (`ok` or the error type), seconds. */
  observe?: (operation: string, outcome: string, seconds: number) => void;
}

const PREFIX = `${targetPrefix}.`;

export function createDispatcher(options: DispatchOptions) {
  const { handlers, logger } = options;

  function fail(res: ServerResponse, requestId: string, type: string, message: string): void {
    sendError(res, statusFor(type, options.modelledStatusCodes), type, message, requestId);
  }

  const { observe } = options;
  /** `requestId` is the one the server already put on the response; a fresh one when called alone. */
  return async function observed(req: IncomingMessage, res: ServerResponse, requestId = newRequestId()): Promise<void> {
    if (!observe) return dispatch(req, res, requestId);
    const started = performance.now();
    // Headers given to writeHead stay readable only once one was set this way.
    if (!res.hasHeader('x-amzn-RequestId')) res.setHeader('x-amzn-RequestId', requestId);
    try {
      await dispatch(req, res, requestId);
    } finally {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(PREFIX) && Object.hasOwn(handlers, target.slice(PREFIX.length)) ? target.slice(PREFIX.length) : 'unknown';
      // Every error answer names its type in this header; its absence is a success.
      const type = res.getHeader('x-amzn-ErrorType');
      observe(operation, type === undefined ? 'ok' : String(type).slice(0, -1), (performance.now() - started) / 1000);
    }
  };

  async function dispatch(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
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
        // cognito-idp answers 400 for a bad signature or an unknown key (observed); a missing or
        // malformed one stays 403, whatever the status switch says.
        sendError(res, error.type === 'InvalidSignatureException' || error.type === 'UnrecognizedClientException' ? 400 : 403, error.type, error.message, requestId);
        return;
      }
    }

    let input: unknown;
    try {
      input = body.length === 0 ? {} : parseRequestJson(body.toString('utf8'));
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
      sourceIp: options.addressOf(req),
      userAgent: String(req.headers['x-amz-user-agent'] ?? req.headers['user-agent'] ?? ''),
      now: options.clock.now(),
    };
    try {
      const output = await handler(input as Record<string, unknown>, ctx);
      const unsynced = options.settled?.();
      if (unsynced) await unsynced;
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
  }
}
