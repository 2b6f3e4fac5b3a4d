/** @module HTTP the way a hostile or broken client speaks it: bytes over a socket, from a chosen local address. */
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  /** Everything the server sent before it closed or the wait ran out. */
  text: string;
  status: number | undefined;
  /** True when the server closed the connection within the wait. */
  closed: boolean;
}

/** Sends `bytes` and collects the answer until the server closes or `waitMs` passes. */
export function rawExchange(url: string, bytes: string | Buffer, waitMs = 2000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), hostname);
    let text = '';
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, status: statusOf(text), closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => finish(true));
    // A reset is the server closing on us, which is an answer too.
    socket.on('error', () => finish(true));
    socket.write(bytes);
  });
}

export function statusOf(text: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/u.exec(text);
  return match ? Number(match[1]) : undefined;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** One AWS JSON 1.1 call from a given loopback address (127.0.0.0/8 is all ours on Linux). */
export function callFrom(
  url: string,
  operation: string,
  input: unknown,
  options: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const body = typeof input === 'string' ? input : JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        localAddress: options.localAddress,
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
          'Content-Length': Buffer.byteLength(body),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = { raw: text };
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
