/** @module What every operation handler receives besides its input: the caller and the moment of the call. */

export interface CallContext {
  requestId: string;
  operation: string;
  /** The caller's address as seen by this server (or a trusted proxy header). */
  sourceIp: string;
  userAgent: string;
  /** Server time at the start of the call, from the movable clock. */
  now: number;
}

export type OperationHandler = (input: Record<string, unknown>, ctx: CallContext) => Promise<Record<string, unknown>>;
