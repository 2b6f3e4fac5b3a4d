/**
 * @module A page's read through an API operation: the output, or, when the API refuses, the
 * console's error page with the API's own words (404 for a pool, client or user that does not
 * exist; 429 when the request quota is spent; 400 otherwise) and undefined.
 */
import type { ServerResponse } from 'node:http';
import { isCognitoError } from '../../domain/errors.ts';
import type { ConsoleServices } from '../console-services.ts';
import type { ConsoleRequest } from '../console-types.ts';
import { sendConsoleError } from './error-page.ts';
import { runAdminOperation } from './run-admin-operation.ts';

const STATUS: Readonly<Record<string, number>> = {
  ResourceNotFoundException: 404,
  UserNotFoundException: 404,
  TooManyRequestsException: 429,
  ForbiddenException: 403,
};

export async function readForPage(
  c: ConsoleServices,
  res: ServerResponse,
  at: ConsoleRequest,
  operation: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await runAdminOperation(c, at, operation, input);
  } catch (error) {
    if (!isCognitoError(error)) throw error;
    sendConsoleError(res, at, STATUS[error.type] ?? 400, `${error.type}: ${error.message}`);
    return undefined;
  }
}
