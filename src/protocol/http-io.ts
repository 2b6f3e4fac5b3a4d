/** @module Reading a bounded request body and writing AWS JSON 1.1 responses with Cognito's headers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const AMZ_JSON = 'application/x-amz-json-1.1';

/** What browsers may send and read; the expose list is the one the real service answered with (spec §1). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
};

export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
  'Access-Control-Allow-Headers':
    'content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control',
  'Access-Control-Max-Age': '86400',
};

export class BodyTooLarge extends Error {}

/**
 * After a refusal the rest of the body is read and dropped, so that a client which sends the
 * whole body before reading the answer still gets its 413; past this many bytes the connection
 * is cut instead, so a body that never ends cannot hold it open.
 */
const DRAIN_FACTOR = 8;

function drain(req: IncomingMessage, limit: number): void {
  req.removeAllListeners('data');
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit * DRAIN_FACTOR) req.socket.destroy();
  });
  req.resume();
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      drain(req, limit);
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        drain(req, limit);
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, {
    ...CORS_HEADERS,
    'Content-Type': AMZ_JSON,
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/**
 * Validation messages echo the offending value, which may be up to a body's size; most HTTP clients
 * refuse a response whose headers pass 8–16 KiB, so the header copy is cut and the body keeps it all.
 */
export const MAX_ERROR_HEADER = 1024;

/** Error envelope of spec §1: body `{__type, message}`, `x-amzn-ErrorType` with its trailing colon. */
export function sendError(res: ServerResponse, status: number, type: string, message: string, requestId: string): void {
  const header = message.length > MAX_ERROR_HEADER ? `${message.slice(0, MAX_ERROR_HEADER - 3)}...` : message;
  sendJson(res, status, JSON.stringify({ __type: type, message }), {
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': `${type}:`,
    // Header values must be Latin-1 without control characters; messages that are not stay in the body only.
    ...(/^[\x20-\x7e]*$/.test(header) ? { 'x-amzn-ErrorMessage': header } : {}),
  });
}
