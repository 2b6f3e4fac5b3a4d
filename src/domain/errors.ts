/**
 * @module The one error type every layer throws: it carries the AWS `__type` so the protocol
 * layer can put it on the wire unchanged. Message texts live in `messages.ts`.
 */

export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export function isCognitoError(value: unknown): value is CognitoError {
  return value instanceof CognitoError;
}
