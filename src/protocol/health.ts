/**
 * @module Health endpoints for load balancers and orchestrators: `/health/live` (the process
 * answers), `/health/ready` (store reachable, schema current, not draining) and `/health`, kept
 * as it always was (store reachable).
 */
import type { ServerResponse } from 'node:http';
import type { Store } from '../store/store.ts';
import type { Route } from './listener.ts';

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

export function healthRoutes(store: Store, draining: () => boolean): Record<string, Route> {
  return {
    '/health': (_req, res) =>
      store.ping().then(
        () => reply(res, 200, '{"status":"ok"}'),
        () => reply(res, 503, '{"status":"unavailable"}'),
      ),
    '/health/live': (_req, res) => reply(res, 200, '{"status":"live"}'),
    // A draining instance says so first, so the balancer stops sending before its connections close.
    '/health/ready': async (_req, res) => {
      if (draining()) return reply(res, 503, '{"status":"draining"}');
      let current: boolean;
      try {
        current = await store.schemaCurrent();
      } catch {
        return reply(res, 503, '{"status":"unavailable"}');
      }
      reply(res, current ? 200 : 503, current ? '{"status":"ready"}' : '{"status":"migrations pending"}');
    },
  };
}
